import { registerEnumType } from "type-graphql";

export enum Role {
  VIEWER = "VIEWER",
  REPORTER = "REPORTER",
  PLANNER = "PLANNER",
  ADMIN = "ADMIN",
}
registerEnumType(Role, { name: "Role" });

/** The verified caller. Tenancy comes only from here, never from arguments. */
export interface Actor {
  subject: string;
  unitId: number;
  unitCode: string;
  unitLevel: string;
  /** materialized path of the caller's unit: its read scope is this subtree */
  unitPath: string;
  roles: Role[];
}

export const ALL_ROLES = Object.values(Role);
