import fs from "node:fs";
import path from "node:path";
import { catalogParts } from "./i18n.catalog";
import { formatNumber, hasMessage, t } from "./i18n";
import { languageFromHeader, withLanguage } from "./i18n.language";

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([^,}\s]+)/g)].map((m) => m[1]).sort();

describe("the message catalog", () => {
  const parts = Object.entries(catalogParts);

  it.each(parts)("namespace %s has the same keys in Vietnamese and English, with the same placeholders", (_ns, part) => {
    expect(Object.keys(part.vi).sort()).toEqual(Object.keys(part.en).sort());
    for (const key of Object.keys(part.en)) {
      expect({ key, placeholders: placeholders(part.vi[key]!) }).toEqual({ key, placeholders: placeholders(part.en[key]!) });
      expect(part.vi[key]!.trim()).not.toBe("");
    }
  });

  it("holds every key the code asks for by a literal t(\"ns:key\")", () => {
    const root = path.join(__dirname, "..");
    const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), "utf8");
      for (const match of source.matchAll(/\bt\(\s*"([a-zA-Z-]+:[^"]+)"/g)) {
        for (const language of ["vi", "en"] as const) if (!hasMessage(match[1]!, language)) missing.push(`${file}: ${match[1]} (${language})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("texts per language", () => {
  it.each([
    ["vi", "Không tìm thấy kế hoạch \"x\"."],
    ["en", "Plan \"x\" was not found."],
  ] as const)("%s: a message names things in the language", (language, text) => {
    expect(withLanguage(language, () => t("common:notFound", { what: t("common:thing.Plan"), key: "x" }))).toBe(text);
  });

  it.each([
    ["vi", 60000, "60.000"],
    ["en", 60000, "60,000"],
    ["vi", 78.6, "78,6"],
    ["en", 78.6, "78.6"],
  ] as const)("%s writes %d as %s", (language, value, text) => {
    expect(formatNumber(value, 1, language)).toBe(text);
  });

  it.each([
    ["vi", "78,6%"],
    ["en", "78.6%"],
  ] as const)("%s writes a share of 78.6 as %s", (language, text) => {
    expect(t("common:percent", { share: 78.6 }, language)).toBe(text);
  });
});

describe("languageFromHeader", () => {
  it.each([
    [undefined, "vi"],
    ["", "vi"],
    ["en", "en"],
    ["en-US,en;q=0.9", "en"],
    ["vi-VN,vi;q=0.9,en;q=0.8", "vi"],
    ["fr, en;q=0.5", "en"],
    ["fr", "vi"],
    ["en;q=0.2, vi;q=0.8", "vi"],
    ["vi;q=0, en", "en"],
    ["*", "vi"],
  ])("%s → %s", (header, language) => {
    expect(languageFromHeader(header)).toBe(language);
  });
});
