import { InitialSchema1763900000000 } from "./1763900000000-InitialSchema";
import { RowLevelSecurity1763900300000 } from "./1763900300000-RowLevelSecurity";

/** Every migration, in order. Listed explicitly so the same classes run from ts-jest and from dist/. */
export const migrations = [InitialSchema1763900000000, RowLevelSecurity1763900300000];
