import { describe, expect, it } from "vitest";
import { interpolate } from "../../src/model/env.js";
import {
  isSecretVariable,
  redactDeep,
  secretReferencer,
  textRedactor,
} from "../../src/model/secrets.js";

const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJklmnop";
const env = {
  GITHUB_TOKEN: TOKEN,
  DATABASE_URL: "postgres://drill:hunter2-db@db.internal:5432/app",
  PAYMENTS_URL: "https://svc:pa%24%24word@payments.internal/",
  STATUS_URL: "http://127.0.0.1:8080/status",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMIK7MDENG",
  PGPASSWORD: "pg-pass-1",
  SIGNING_KEY: "k-999999",
  GITHUB_TOKEN_ENABLED: "true",
  SHORT_TOKEN: "ab",
  HOME: "/home/ana",
};

describe("secret rules", () => {
  it("knows a secret by its name, and a URL by the credentials it carries", () => {
    const secret = Object.keys(env).filter((name) =>
      isSecretVariable(name, env[name as keyof typeof env]),
    );
    expect(secret.sort()).toEqual([
      "AWS_SECRET_ACCESS_KEY",
      "DATABASE_URL",
      "GITHUB_TOKEN",
      "PAYMENTS_URL",
      "PGPASSWORD",
      "SIGNING_KEY",
    ]);
    expect(isSecretVariable("DATABASE_URL", "postgres://localhost/app")).toBe(true);
    expect(isSecretVariable("QUEUE_URL", "https://q.internal/?access_token=abcdef")).toBe(true);
  });

  it("replaces secret values, a URL's password on its own, and escaped forms", () => {
    const redact = textRedactor(env);
    expect(redact(`t=${TOKEN} pw=hunter2-db p=pg-pass-1 k=k-999999 true ab /home/ana`)).toBe(
      "t=[redacted GITHUB_TOKEN] pw=[redacted DATABASE_URL] p=[redacted PGPASSWORD] k=[redacted SIGNING_KEY] true ab /home/ana",
    );
    expect(redact(`db ${env.DATABASE_URL}; payments pa$$word`)).toBe(
      "db [redacted DATABASE_URL]; payments [redacted PAYMENTS_URL]",
    );
    expect(redact(JSON.stringify({ text: `"${env.PGPASSWORD}"` }))).not.toContain("pg-pass-1");
    const withQuote = textRedactor({ API_TOKEN: `a"b<c>&d` });
    expect(withQuote(`html a&quot;b&lt;c&gt;&amp;d json ${JSON.stringify('a"b<c>&d')}`)).toBe(
      'html [redacted API_TOKEN] json "[redacted API_TOKEN]"',
    );
  });

  it("hides what a truncation left of a secret, before or after the …", () => {
    const redact = textRedactor(env);
    const tail = `…${TOKEN.slice(-12)} and more`;
    expect(redact(tail)).toBe("…[redacted GITHUB_TOKEN] and more");
    expect(redact(`run: echo ${TOKEN.slice(0, 10)}…`)).toBe("run: echo [redacted GITHUB_TOKEN]…");
    expect(redact("…abc plain")).toBe("…abc plain");
  });

  it("redacts credentials by their shape, whatever the environment", () => {
    const redact = textRedactor({});
    expect(
      redact(
        "GET https://ana:s3cr3t@x.internal/h?token=abc&x=1&access_token=zz&amp;api_key=q9 user https://x.internal/",
      ),
    ).toBe(
      "GET https://ana:[redacted]@x.internal/h?token=[redacted]&x=1&access_token=[redacted]&amp;api_key=[redacted] user https://x.internal/",
    );
    expect(
      redact("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' --password=pw1"),
    ).toBe("curl -H 'Authorization: Bearer [redacted]' --password=[redacted]");
    expect(redact(`pasted ${TOKEN} exit code=1 key: value`)).toBe(
      "pasted [redacted] exit code=1 key: value",
    );
  });

  it("redacts every string of a value, not its keys or numbers", () => {
    const redact = textRedactor(env);
    expect(redactDeep({ GITHUB_TOKEN: TOKEN, n: 3, list: [TOKEN, null] }, redact)).toEqual({
      GITHUB_TOKEN: "[redacted GITHUB_TOKEN]",
      n: 3,
      list: ["[redacted GITHUB_TOKEN]", null],
    });
  });

  it("turns secrets into $-brace NAME references that the same environment fills back in", () => {
    const reference = secretReferencer(env);
    const command = `curl -H "token ${TOKEN}" '$\${NOT_A_REFERENCE}' ${env.DATABASE_URL}`;
    const stored = reference(command);
    expect(stored).toBe(
      `curl -H "token \${GITHUB_TOKEN}" '$$\${NOT_A_REFERENCE}' \${DATABASE_URL}`,
    );
    expect(interpolate(stored, env).value).toBe(command);
  });
});
