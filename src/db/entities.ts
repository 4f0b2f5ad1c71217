import { Indicator, Program } from "../indicator/indicator.entity";
import { OrgUnit } from "../org-unit/org-unit.entity";
import { Plan } from "../plan/plan.entity";

/** Every TypeORM entity. Add new ones here. */
export const ENTITIES = [OrgUnit, Program, Indicator, Plan];
