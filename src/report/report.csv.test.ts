import { parseCsv } from "./report.csv";

describe("parseCsv", () => {
  it("splits RFC 4180 CSV: quotes, doubled quotes, commas inside quotes, CRLF, blank lines and a BOM", () => {
    expect(parseCsv('a,"b,""c"""\r\n\r\n1,2\n')).toEqual([["a", 'b,"c"'], ["1", "2"]]);
    expect(parseCsv('\ufeffcode,name\n01,"Hà\nNội"')).toEqual([["code", "name"], ["01", "Hà\nNội"]]);
  });
});
