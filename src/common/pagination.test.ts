import { decodeCursor, encodeCursor } from "./pagination";

const CODE = /^[0-9A-Z]{2,5}$/;

describe("cursors", () => {
  it.each(["22", "193", "07192", "VN"])("%s survives the round trip", (key) => {
    expect(decodeCursor(encodeCursor(key), CODE)).toBe(key);
  });

  it.each([
    ["garbage that is not base64url", "not a cursor!"],
    ["base64url of a key of the wrong shape", encodeCursor("hello world")],
    ["base64 with padding", `${encodeCursor("22")}==`],
    ["a non-canonical spelling of a cursor", "MjJ"],
    ["a key with a NUL", encodeCursor("22\0")],
    ["empty", ""],
  ])("refuses %s", (_name, cursor) => {
    expect(() => decodeCursor(cursor, CODE)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "after" } }));
  });
});
