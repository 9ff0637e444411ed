/**
 * The command line that opens `file` at `line` in the user's editor, in each
 * editor's own syntax: `+line file` for vi, nano, emacs and most terminal
 * editors, `-g file:line` for VS Code and its forks, `file:line` for the
 * editors that take that. Pure: `$VISUAL`/`$EDITOR` are read by the caller.
 */
import { basename } from "node:path";

const GOTO_FLAG = new Set(["code", "code-insiders", "codium", "cursor", "windsurf"]);
const COLON = new Set(["subl", "sublime_text", "zed", "hx", "helix", "mate"]);

/**
 * The program and arguments, or undefined without an editor.
 *
 * @example
 * editorCommand("code -w", "src/a.ts", 12); // ["code", ["-w", "-g", "src/a.ts:12"]]
 * editorCommand("vim", "src/a.ts", 12); // ["vim", ["+12", "src/a.ts"]]
 */
export function editorCommand(editor: string | undefined, file: string, line: number): readonly [string, readonly string[]] | undefined {
  const words = (editor ?? "").trim().split(/\s+/).filter(Boolean);
  const program = words[0];
  if (!program) return undefined;
  const args = words.slice(1);
  const name = basename(program).replace(/\.exe$/i, "");
  if (GOTO_FLAG.has(name)) return [program, [...args, "-g", `${file}:${line}`]];
  if (COLON.has(name)) return [program, [...args, `${file}:${line}`]];
  return [program, [...args, `+${line}`, file]];
}
