// The page frame every console page shares (pure: props in, markup out).
import type { Child } from "hono/jsx";
import type { AuthContext } from "../app-types";

export type PageCtx = {
  auth: AuthContext;
  /** Auth on: the sign-out button shows. */
  authEnabled: boolean;
  csrf: string;
  path: string;
};

const NAV: Array<{ href: string; label: string; admin?: boolean }> = [
  { href: "/", label: "Overview", admin: true },
  { href: "/ui/judgments", label: "Judgments" },
  { href: "/ui/evaluations", label: "Evaluations", admin: true },
  { href: "/ui/training", label: "Training", admin: true },
  { href: "/ui/heldout", label: "Held-out & datasets", admin: true },
  { href: "/ui/keys", label: "Keys", admin: true },
];

export function isAdmin(ctx: PageCtx): boolean {
  return ctx.auth.scope === "admin";
}

export function CsrfField(props: { ctx: PageCtx }) {
  return <input type="hidden" name="_csrf" value={props.ctx.csrf} />;
}

function who(ctx: PageCtx): string {
  if (!ctx.authEnabled) return "auth off (loopback)";
  if (ctx.auth.actor === "admin-env") return "admin (SELFJUDGE_ADMIN_KEY)";
  return `${ctx.auth.scope} key`;
}

export function Layout(props: { ctx: PageCtx; title: string; children?: Child; charts?: boolean }) {
  const { ctx } = props;
  const on = (href: string) => (href === "/" ? ctx.path === "/" : ctx.path.startsWith(href));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · selfjudge`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/ui/assets/ui.css" />
        {props.charts ? <script src="/ui/assets/chart.umd.min.js" defer></script> : null}
        <script src="/ui/assets/ui.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href={isAdmin(ctx) ? "/" : "/ui/judgments"}>selfjudge</a>
          <nav>
            {NAV.filter((n) => !n.admin || isAdmin(ctx)).map((n) => (
              <a href={n.href} class={on(n.href) ? "on" : ""}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="who">
            <span data-testid="who">{who(ctx)}</span>
            {ctx.authEnabled ? (
              <form method="post" action="/ui/logout" class="inline">
                <CsrfField ctx={ctx} />
                <button type="submit">Sign out</button>
              </form>
            ) : null}
          </div>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}
