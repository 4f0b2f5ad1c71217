import { execute, parse, type GraphQLSchema } from "graphql";
import { withLanguage } from "../../src/i18n/i18n.language";
import type { Harness } from "./harness";

/**
 * An operation interpreted by graphql-js on `schema` as the holder of `token` (English), in its own committed
 * transaction: the reference the compiled executor's answers are checked against. Errors as the API classifies them.
 */
export async function interpreted(h: Harness, schema: GraphQLSchema, query: string, variables: Record<string, unknown>, token: string) {
  return withLanguage("en", async () => {
    const contextValue = await h.server.contextFor(`Bearer ${token}`);
    const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
    await contextValue.db.finish(!result.errors?.length);
    return {
      data: JSON.parse(JSON.stringify(result.data ?? null)),
      errors: result.errors?.map((e) => ({ message: e.message, path: e.path, code: (e.originalError as { code?: string } | undefined)?.code })),
    };
  });
}
