/** Structured log events; the CLI turns them into lines (or JSON), in-process users may ignore them. */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean>;

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

export type Logger = (level: LogLevel, message: string, fields?: LogFields) => void;

export function makeLogger(sink: ((entry: LogEntry) => void) | undefined): Logger {
  if (!sink) return () => {};
  return (level, message, fields = {}) => sink({ level, message, fields });
}

/** `2025-01-01T00:00:00.000Z info proxy created name=redis listen=127.0.0.1:26379` */
export function formatLogLine(entry: LogEntry, now = new Date()): string {
  const fields = Object.entries(entry.fields)
    .map(([key, value]) => {
      const text = String(value);
      return `${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`;
    })
    .join(" ");
  return `${now.toISOString()} ${entry.level} ${entry.message}${fields ? ` ${fields}` : ""}`;
}
