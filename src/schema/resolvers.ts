import { IndicatorResolver } from "../indicator/indicator.resolver";
import { OrgUnitResolver } from "../org-unit/org-unit.resolver";
import { PlanResolver } from "../plan/plan.resolver";

/** Every resolver class of the API. Add new ones here. */
export const RESOLVERS = [OrgUnitResolver, PlanResolver, IndicatorResolver];
