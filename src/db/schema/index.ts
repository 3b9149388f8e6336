export * from "./core";
export * from "./evaluation";
export * from "./training";
export * from "./datasets";
export * from "./hardening";
export * from "./dashboard";
