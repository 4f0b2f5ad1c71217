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
  /** materialized path of the caller's unit (today's version of it) */
  unitPath: string;
  /**
   * The caller's scope on every date: its own path first, then the paths of the earlier units that became
   * part of its subtree (old Kiên Giang for the new An Giang), topmost only. Read and write scope alike.
   */
  scopePaths: string[];
  roles: Role[];
}

export const ALL_ROLES = Object.values(Role);
