export * from "./core";
export * from "./evaluation";
export * from "./training";
export * from "./hardening";
