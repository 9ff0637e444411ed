import { describe, expect, it } from "vitest";
import { addAdapterIds, stableEmbeddedHandshake } from "../../src/export/stable-adapter-ids.js";

describe("addAdapterIds", () => {
  it("finds each server's uid (its response channel, JSON, the msgpack it publishes) and each request id, in order", () => {
    const ids = new Map<string, string>();
    const subscribe = "*2\r\n$9\r\nSUBSCRIBE\r\n$28\r\nsocket.io-response#/#L12sa8#\r\n";
    const other = "*2\r\n$9\r\nSUBSCRIBE\r\n$28\r\nsocket.io-response#/#qwuy6J#\r\n";
    const request = '{"uid":"L12sa8","requestId":"cnDIXQ","type":5}';
    const reply = '{"requestId":"cnDIXQ","sockets":[]}';
    addAdapterIds(ids, [subscribe, other, request, reply]);
    expect([...ids]).toEqual([["L12sa8", "uid-1-"], ["qwuy6J", "uid-2-"], ["cnDIXQ", "req-1-"]]);
  });

  it("gives a longer id a placeholder of its own length, and keeps one already placed", () => {
    const ids = new Map([["L12sa8", "sid-1-"]]);
    addAdapterIds(ids, ['{"uid":"L12sa8"}{"uid":"abcdefghij"}']);
    expect(ids.get("L12sa8")).toBe("sid-1-");
    expect(ids.get("abcdefghij")).toBe("uid-1-----");
  });

  it("finds the uid and request id of a cluster adapter's IPC message in V8's serialization", () => {
    const ids = new Map<string, string>();
    addAdapterIds(ids, ['\xff\x0fo"\x04typeI\x02"\x03uid"\x101614a200b693716f"\x09requestId"\x06cnDIXQ{\x02']);
    expect([...ids]).toEqual([["1614a200b693716f", "uid-1-----------"], ["cnDIXQ", "req-1-"]]);
  });

  it("finds nothing in frames that carry no adapter ids", () => {
    const ids = new Map<string, string>();
    addAdapterIds(ids, ['42["chat message","uid"]', "*3\r\n$7\r\nPUBLISH\r\n$12\r\nsocket.io#/#\r\n"]);
    expect(ids.size).toBe(0);
  });
});

describe("stableEmbeddedHandshake", () => {
  it("fixes the key, issued and time of a handshake inside a fetchSockets reply, keeping its length", () => {
    const reply = '{"sec-websocket-key":"rohtaqDgBXaJVwusVe996w==","time":"Wed Dec 02 2026 13:51:06 GMT+0000 (UTC)","issued":1796219466358}';
    const out = stableEmbeddedHandshake(reply);
    expect(out).toBe('{"sec-websocket-key":"AAAAAAAAAAAAAAAAAAAAAA==","time":"Thu Jan 01 1970 00:00:00 GMT+0000 (UTC)","issued":0000000000000}');
    expect(out.length).toBe(reply.length);
  });
});
