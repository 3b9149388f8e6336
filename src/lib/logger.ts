/** The logging surface the app needs; pino satisfies it, and so does the console fallback. */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export function consoleLogger(bindings: Record<string, unknown> = {}): Logger {
  const line = (level: string) => (obj: object | string, msg?: string) => {
    const base = typeof obj === "string" ? { msg: obj } : { ...obj, msg };
    console.log(JSON.stringify({ level, time: Date.now(), ...bindings, ...base }));
  };
  return {
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    debug: () => {},
    child: (b) => consoleLogger({ ...bindings, ...b }),
  };
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};
