import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";

/** The committed form of the schema: sorted, so the file changes only when the API does. */
export function printSchemaWithDirectives(schema: GraphQLSchema): string {
  return `# Generated from the code by \`npm run schema:emit\`. Do not edit: a test fails when it is stale.\n\n${printSchema(
    lexicographicSortSchema(schema),
  )}\n`;
}
