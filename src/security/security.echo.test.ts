import { shortenEchoes, shortenFormattedError } from "./security.echo";

const x = (n: number) => "x".repeat(n);

describe("shortenEchoes", () => {
  it.each([
    ["a short message", `Org unit "22" was not found.`, `Org unit "22" was not found.`],
    ["an ordinary long message", `The plan changed since version 3 (it is at 4); reload it and retry. ${"Read it again. ".repeat(5)}`, null],
    ["a quoted echo", `"${x(100)}" is not a unit code.`, `"${x(20)}…[100 characters]" is not a unit code.`],
    [
      "graphql-js's double echo",
      `Variable "$n" got invalid value "${x(500)}"; Int cannot represent non-integer value: "${x(500)}"`,
      `Variable "$n" got invalid value "${x(20)}…[500 characters]"; Int cannot represent non-integer value: "${x(20)}…[500 characters]"`,
    ],
    ["escaped quotes inside a quoted echo", `got "${'\\"'.repeat(50)}" here`, `got "${'\\"'.repeat(10)}…[100 characters]" here`],
    ["an unquoted run", `Indicator ${x(30)} is unknown.`, `Indicator ${x(20)}…[30 characters] is unknown.`],
    ["an unbalanced quote", `got "${x(30)} and more`, `got "${x(20)}…[30 characters] and more`],
  ])("%s", (_name, text, expected) => {
    expect(shortenEchoes(text, 20, 300)).toBe(expected ?? text);
  });

  it("caps the whole message", () => {
    const words = "ab ".repeat(200);
    expect(shortenEchoes(words, 20, 100)).toBe(`${words.slice(0, 100)}…[600 characters]`);
  });

  it("takes a 1 MB echo, twice, down to a few hundred characters in one pass", () => {
    const big = x(1024 * 1024);
    const text = `Variable "$code" got invalid value "${big}"; String cannot represent: "${big}"`;
    expect(shortenEchoes(text).length).toBeLessThan(300);
    const unbalanced = `"${'\\"'.repeat(500_000)}`;
    expect(shortenEchoes(unbalanced).length).toBeLessThan(1100);
  });
});

describe("shortenFormattedError", () => {
  it("shortens the message, every string of the extensions and the path", () => {
    const error = shortenFormattedError({
      message: `Org unit "${x(200)}" was not found.`,
      path: ["orgUnit", x(200)],
      extensions: { code: "NOT_FOUND", key: x(200), invalidRows: [{ index: 3, message: `"${x(200)}" is unknown` }] },
    });
    expect(JSON.stringify(error).length).toBeLessThan(600);
    expect(error.extensions).toMatchObject({ code: "NOT_FOUND", invalidRows: [{ index: 3 }] });
  });
});
