import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");

/** Exports that tools outside the TypeScript program use (jest.config.js names these files). */
const USED_FROM_OUTSIDE = new Set(["test/support/global-setup.ts:default", "test/support/global-teardown.ts:default"]);

/**
 * Dead code: every export of the project (src, migrations, seeds, bench, test) that nothing uses — not
 * another module, not a test, not even the module itself. Found with the TypeScript compiler's own
 * symbol resolution, so a re-export, an import under another name or a shorthand property all count as
 * uses. An export used only inside its own module is not dead (only over-exported) and passes.
 */
function deadExports(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("cannot read tsconfig.json");
  // every project file is a root, so imports between them resolve; nothing outside is read (no lib, no
  // node_modules): what is not the project's cannot make the project's exports used, and it is 10× faster
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true, noResolve: true, types: [], noLib: true } });
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !path.relative(ROOT, f.fileName).startsWith(".."));

  const used = new Set<ts.Symbol>();
  const markUsed = (symbol: ts.Symbol | undefined) => {
    // an alias (import, re-export) uses every symbol down its chain
    for (let s = symbol, hops = 0; s && !used.has(s) && hops < 16; hops++) {
      used.add(s);
      used.add(checker.getExportSymbolOfSymbol(s));
      s = s.flags & ts.SymbolFlags.Alias ? checker.getImmediateAliasedSymbol(s) : undefined;
    }
  };
  const isOwnName = (id: ts.Identifier, symbol: ts.Symbol) =>
    (symbol.declarations ?? []).some((d) => (d as ts.NamedDeclaration).name === id);

  // only identifiers spelled like an export can use one: resolving just those keeps this cheap
  const exportsOf = new Map<ts.SourceFile, ts.Symbol[]>();
  const names = new Set<string>();
  for (const file of files) {
    const moduleSymbol = checker.getSymbolAtLocation(file);
    const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    exportsOf.set(file, exported);
    for (const e of exported) names.add(e.name);
  }

  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && (names.has(node.text) || ts.isShorthandPropertyAssignment(node.parent))) {
        if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
          markUsed(checker.getShorthandAssignmentValueSymbol(node.parent));
        }
        const symbol = checker.getSymbolAtLocation(node);
        // `import { x }` and `export { x } from` declare an alias: that alone uses nothing; `export { x }`
        // of a local does not either (it is the export being judged)
        const inSpecifier = ts.isImportSpecifier(node.parent) || ts.isImportClause(node.parent) || ts.isExportSpecifier(node.parent);
        if (symbol && !isOwnName(node, symbol) && !inSpecifier) markUsed(symbol);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  const dead: string[] = [];
  for (const [file, exports] of exportsOf) {
    const relative = path.relative(ROOT, file.fileName);
    for (const exported of exports) {
      if (used.has(exported) || USED_FROM_OUTSIDE.has(`${relative}:${exported.name}`)) continue;
      const declaration = exported.declarations?.[0];
      const line = declaration ? declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart()).line + 1 : 0;
      dead.push(`${relative}:${line} ${exported.name}`);
    }
  }
  return dead.sort();
}

describe("dead exports", () => {
  it("nothing is exported that nothing uses (delete it, or stop exporting it)", () => {
    expect(deadExports()).toEqual([]);
  });
});
