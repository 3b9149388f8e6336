import { createRouter } from "../../lib/router";
import { postFeedbackHandler } from "./feedback.handlers";
import { postFeedback } from "./feedback.routes";

export const feedbackRouter = createRouter().openapi(postFeedback, postFeedbackHandler);
