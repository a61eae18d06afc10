namespace Admission.Identity.Dev;

/// <summary>The dev provider's login form: any name, and the facts a policy may check.</summary>
internal static class DevLoginPage
{
    public static string Render(string hiddenFields) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Dev identity provider</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; color: #1d2330; }
        label { display: block; margin: .7rem 0 .2rem; }
        input[type=text], input[type=number] { width: 100%; padding: .45rem; box-sizing: border-box; }
        button { margin-top: 1.2rem; padding: .55rem 1.2rem; }
        .note { color: #6b7280; font-size: .9rem; }
        </style>
        </head>
        <body>
        <h1>Dev identity provider</h1>
        <p class="note">For development only: log in as anyone. Tokens are signed with a key generated when the sequencer started.</p>
        <form method="post" action="{{DevIdentityEndpoints.AuthorizePath}}">
        {{hiddenFields}}
        <label for="username">User name</label>
        <input id="username" name="username" type="text" required maxlength="64" autofocus>
        <label><input name="verified" type="checkbox" checked> verified account</label>
        <label><input name="operator" type="checkbox"> operator (may use /admin)</label>
        <label for="followers_count">Followers</label>
        <input id="followers_count" name="followers_count" type="number" min="0" value="100">
        <label for="account_age_days">Account age (days)</label>
        <input id="account_age_days" name="account_age_days" type="number" min="0" value="365">
        <button type="submit">Log in</button>
        </form>
        </body>
        </html>
        """;
}
