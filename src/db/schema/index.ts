export * from "./core";
export * from "./evaluation";
export * from "./training";
