import { errorReply, type FakeHttpReply, type FakeLlm } from "./server";

/**
 * A fake of OpenAI's files + fine-tuning jobs API, plugged into the fake server. A job moves
 * validating_files → running → succeeded over successive retrieves, like a real one does over time.
 */

export interface FakeFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
  /** fine-tune files: chat (SFT) lines or preference (DPO) lines; one format per file, as OpenAI requires. */
  format: "chat" | "preference" | null;
}

type Msg = { role?: unknown; content?: unknown };
const isAssistantTurn = (o: unknown) =>
  Array.isArray(o) && o.length === 1 && (o[0] as Msg)?.role === "assistant" && typeof (o[0] as Msg)?.content === "string";

/** Which fine-tuning format a JSONL line is in, or null when it is neither. */
export function lineFormat(line: string): "chat" | "preference" | null {
  let parsed: { messages?: Msg[]; input?: { messages?: Msg[] }; preferred_output?: unknown; non_preferred_output?: unknown };
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (Array.isArray(parsed.messages)) return parsed.messages.at(-1)?.role === "assistant" ? "chat" : null;
  const input = parsed.input?.messages;
  if (Array.isArray(input) && input.at(-1)?.role === "user" && isAssistantTurn(parsed.preferred_output) && isAssistantTurn(parsed.non_preferred_output)) {
    return "preference";
  }
  return null;
}

export interface FakeFineTuningJob {
  id: string;
  object: "fine_tuning.job";
  model: string;
  training_file: string;
  /** As sent: absent means supervised. */
  method: { type: string; dpo?: { hyperparameters?: Record<string, unknown> } } | null;
  status: string;
  fine_tuned_model: string | null;
  suffix: string | null;
  metadata: Record<string, string> | null;
  created_at: number;
  finished_at: number | null;
  error: { message: string; code: string; param: null } | null;
  retrieves: number;
}

export interface FineTuningFakeOptions {
  /** Retrieves before the job succeeds. Default 2. */
  retrievesToFinish?: number;
  /** Make every job fail with this message. */
  failWith?: string;
}

export interface FineTuningFake {
  files: FakeFile[];
  jobs: FakeFineTuningJob[];
  /** Ids of jobs POST …/cancel was called for, in order. */
  cancels: string[];
  /** While set, POST …/cancel answers 500 with this message. */
  cancelFailsWith: string | null;
  /** While set, GET /v1/fine_tuning/jobs/{id} answers with this error. */
  retrieveFails: { status: number; message: string } | null;
}

export function installFineTuning(fake: FakeLlm, o: FineTuningFakeOptions = {}): FineTuningFake {
  const state: FineTuningFake = { files: [], jobs: [], cancels: [], cancelFailsWith: null, retrieveFails: null };
  const finishAfter = o.retrievesToFinish ?? 2;
  const view = (j: FakeFineTuningJob) => {
    const { retrieves: _r, ...rest } = j;
    return rest;
  };

  fake.registerRoute({
    method: "POST",
    path: "/v1/files",
    async handle(req, { raw }) {
      const form = await new Response(new Uint8Array(raw), {
        headers: { "content-type": String(req.headers["content-type"] ?? "") },
      })
        .formData()
        .catch(() => null);
      const file = form?.get("file");
      const purpose = form?.get("purpose");
      if (!form || !(file instanceof Blob) || typeof purpose !== "string") return errorReply(400, "multipart file and purpose are required");
      const content = await file.text();
      let format: FakeFile["format"] = null;
      if (purpose === "fine-tune") {
        for (const [i, line] of content.split("\n").filter(Boolean).entries()) {
          const f = lineFormat(line);
          if (!f) return errorReply(400, `line ${i + 1} is neither a chat nor a preference fine-tuning example`);
          if (format && f !== format) return errorReply(400, `line ${i + 1} is a ${f} example in a file of ${format} examples`);
          format = f;
        }
      }
      const f: FakeFile = { id: `file-${state.files.length + 1}`, filename: (file as File).name ?? "upload", purpose, content, format };
      state.files.push(f);
      return {
        status: 200,
        body: { id: f.id, object: "file", bytes: content.length, created_at: 0, filename: f.filename, purpose, status: "processed" },
      };
    },
  });

  fake.registerRoute({
    method: "POST",
    path: "/v1/fine_tuning/jobs",
    handle(_req, { body }): FakeHttpReply {
      const b = body as
        | { model?: string; training_file?: string; suffix?: string; metadata?: Record<string, string>; method?: FakeFineTuningJob["method"] }
        | undefined;
      if (!b?.model || !b.training_file) return errorReply(400, "model and training_file are required");
      const file = state.files.find((f) => f.id === b.training_file);
      if (!file) return errorReply(400, `no file ${b.training_file}`);
      const type = b.method?.type ?? "supervised";
      if (type !== "supervised" && type !== "dpo") return errorReply(400, `unknown method type ${type}`);
      const wanted = type === "dpo" ? "preference" : "chat";
      if (file.format !== wanted) return errorReply(400, `method ${type} needs a file of ${wanted} examples, ${file.id} holds ${file.format ?? "none"}`);
      const job: FakeFineTuningJob = {
        id: `ftjob-${state.jobs.length + 1}`,
        object: "fine_tuning.job",
        model: b.model,
        training_file: b.training_file,
        method: b.method ?? null,
        status: "validating_files",
        fine_tuned_model: null,
        suffix: b.suffix ?? null,
        metadata: b.metadata ?? null,
        created_at: Math.floor(Date.now() / 1000),
        finished_at: null,
        error: null,
        retrieves: 0,
      };
      state.jobs.push(job);
      return { status: 200, body: view(job) };
    },
  });

  fake.registerRoute({
    method: "GET",
    path: "/v1/fine_tuning/jobs",
    handle: () => ({ status: 200, body: { object: "list", data: [...state.jobs].reverse().map(view), has_more: false } }),
  });

  fake.registerRoute({
    method: "GET",
    path: /^\/v1\/fine_tuning\/jobs\/([^/]+)$/,
    handle(_req, { params }): FakeHttpReply {
      if (state.retrieveFails) return errorReply(state.retrieveFails.status, state.retrieveFails.message);
      const job = state.jobs.find((j) => j.id === params?.[1]);
      if (!job) return errorReply(404, `no job ${params?.[1]}`);
      job.retrieves += 1;
      if (job.status === "validating_files" || job.status === "running") {
        if (job.retrieves >= finishAfter) {
          if (o.failWith) {
            job.status = "failed";
            job.error = { message: o.failWith, code: "invalid_training_file", param: null };
          } else {
            job.status = "succeeded";
            job.fine_tuned_model = `ft:${job.model}:selfjudge:${job.suffix ?? "x"}:${job.id}`;
          }
          job.finished_at = Math.floor(Date.now() / 1000);
        } else job.status = "running";
      }
      return { status: 200, body: view(job) };
    },
  });

  fake.registerRoute({
    method: "POST",
    path: /^\/v1\/fine_tuning\/jobs\/([^/]+)\/cancel$/,
    handle(_req, { params }): FakeHttpReply {
      const id = params?.[1] ?? "";
      state.cancels.push(id);
      if (state.cancelFailsWith) return errorReply(500, state.cancelFailsWith);
      const job = state.jobs.find((j) => j.id === id);
      if (!job) return errorReply(404, `no job ${id}`);
      if (["succeeded", "failed", "cancelled"].includes(job.status)) return errorReply(400, `job ${id} has already ${job.status}`);
      job.status = "cancelled";
      job.finished_at = Math.floor(Date.now() / 1000);
      return { status: 200, body: view(job) };
    },
  });
  return state;
}
