import { describe, expect, it } from "vitest";
import { isLoopback } from "../../src/instrument/loopback.js";

describe("isLoopback", () => {
  it("accepts loopback addresses only", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) expect(isLoopback(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "", "192.168.1.5", "10.0.0.1", "example.com", "127.0.0.1.evil"]) expect(isLoopback(host), host).toBe(false);
  });
});
