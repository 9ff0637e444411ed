/**
 * The export command's public face, kept at the path that its tests, the
 * bench and the stepper import: the command lives in `commands/export.ts`,
 * the writer in `export-writer.ts`.
 */
export { runExport, runExportMode, type ExportMode } from "./commands/export.js";
export { checkOutputPath, projectRootOf, writeExport, type WriteExportOptions } from "./export-writer.js";
export { parseFormat, type ExportFlags, type ExportFormat } from "./export-flags.js";
