/**
 * The predict worksheet: on the recorded chat and on a hand-made trace with
 * hostile payloads, it passes real markdownlint under the repository's
 * settings, lists every question with its choices before the answer key, and
 * the key gives each right choice with its claim and call.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { predictAll, type PredictQuestion } from "../../src/claims/predict/questions.js";
import { renderWorksheet } from "../../src/export/worksheet.js";
import type { Trace } from "../../src/trace/model.js";
import { recordedChatTrace } from "../helpers/recorded-trace.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { clientFrame } from "../wire/helpers.js";
import { lintMarkdown, markdownStructure } from "./markdown-check.js";

let chat: Trace;
beforeAll(() => {
  chat = recordedChatTrace();
}, 120_000);

describe("the predict worksheet", () => {
  it("passes markdownlint and puts every question before the key, every answer with its reason in it", async () => {
    const predictions = predictAll(chat, { seed: 4 });
    const sheet = renderWorksheet(chat, predictions, { seed: 4 });
    expect(await lintMarkdown(sheet)).toEqual([]);
    const [questions, key] = sheet.split("\n## Answer key\n");
    expect(key).toBeDefined();
    const asked = predictions.filter((q): q is PredictQuestion => q.kind !== "skip");
    expect(asked).toHaveLength(chat.steps.length);
    const spans = (await markdownStructure(questions)).codeSpans;
    for (const q of asked) {
      expect(questions).toContain(`## Step ${q.step + 1}/${chat.steps.length} · `);
      for (const c of q.choices) expect(spans).toContain(c.text);
      const answer = key.split("\n### ")[asked.indexOf(q) + 1];
      expect(answer).toContain(`**${q.answer + 1}.** \``);
      expect(answer).toContain(q.why.call!.name);
      expect(answer).toMatch(/- Why: .*\(a claim checked on this run\)/);
    }
    expect(sheet).toContain("seed 4");
  });

  it("stays valid with backticks, pipes and markup in the run's payloads, and lists skipped steps", async () => {
    const base = fixtureTrace();
    const hostile = '42["chat message","``` | <b>*x*</b> `y`"]';
    const chunks = base.chunks.map((c) => (c.seq === 5 ? { ...c, data: Buffer.from(clientFrame(hostile)).toString("base64"), size: clientFrame(hostile).length } : c));
    const steps = [...base.steps, { ...base.steps[0], index: 3, id: "idle", title: "idle *step*", calls: [], chunks: [] }];
    const trace = { ...base, chunks, steps };
    const sheet = renderWorksheet(trace, predictAll(trace), { seed: 1 });
    expect(await lintMarkdown(sheet)).toEqual([]);
    expect((await markdownStructure(sheet)).codeSpans).toContain(hostile);
    expect(sheet).toMatch(/## Steps without a question\n\n- Step 4\/4 · idle \\\*step\\\*: it puts no frame on the wire/);
  });
});
