import { Field, ID, ObjectType } from "type-graphql";

/**
 * A national program (chương trình): its plans run down the tree, and it has its own indicator catalog. A new
 * national plan for a later period (2026-2035 after 2021-2025) is a plan of the same program: the catalog
 * carries over. The GraphQL type, and the shape SQL reads program rows into (SELECT_PROGRAM).
 */
@ObjectType({ description: "A national program with its own indicator catalog; its plans run down the tree" })
export class Program {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "Stable code, e.g. PCMD_2021_2025" })
  code!: string;

  @Field(() => String)
  nameVi!: string;

  @Field(() => String)
  nameEn!: string;
}
