// Sign-in page (pure).
export function LoginPage(props: { csrf: string; next: string; error?: string | null }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign in · selfjudge</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/ui/assets/ui.css" />
      </head>
      <body>
        <div class="card login">
          <h1>selfjudge</h1>
          <p class="muted">Sign in with an API key: SELFJUDGE_ADMIN_KEY, or a key created under Keys. Judge-scope keys see judgments only.</p>
          {props.error ? (
            <div class="error-box" role="alert">
              {props.error}
            </div>
          ) : null}
          <form method="post" action="/ui/login">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="next" value={props.next} />
            <label for="key">API key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus />
            <button type="submit">Sign in</button>
          </form>
        </div>
      </body>
    </html>
  );
}
