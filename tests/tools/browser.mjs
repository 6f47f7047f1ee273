// tests/tools/browser.mjs - drive Debian's chromium through chromedriver's
// WebDriver HTTP API (W3C WebDriver, node 20's fetch) over a running oxweb:
// log in, find a transaction by DSN, open it, download its payload,
// reactivate it from overflow, hold and release a partner, download the
// status CSV; screenshots of the main pages into OUTDIR.
//
//   node browser.mjs OXWEB_URL DRIVER_URL OUTDIR DSN USER PASSWORD
//
// Prints "PASS browser:NAME" or "FAIL browser:NAME: why" per step (the
// test runner's format); exits 1 when a step failed or the browser could
// not be driven at all.
import { writeFileSync, readdirSync, readFileSync, mkdirSync } from "node:fs";

const [base, driver, out, dsn, user, password] = process.argv.slice(2);
const dl = `${out}/downloads`;
mkdirSync(dl, { recursive: true });
let failed = 0, sid = null;
const pass = (n) => console.log(`PASS browser:${n}`);
const fail = (n, why) => { failed++; console.log(`FAIL browser:${n}: ${why}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function wd(method, path, body) {
	const r = await fetch(`${driver}${path}`, {
		method, headers: { "Content-Type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const j = await r.json();
	if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(j.value).slice(0, 300)}`);
	return j.value;
}
const s = (p) => `/session/${sid}${p}`;
const go = (path) => wd("POST", s("/url"), { url: base + path });
const el = async (css) => Object.values(await wd("POST", s("/element"), { using: "css selector", value: css }))[0];
const type = async (css, text) => wd("POST", s(`/element/${await el(css)}/value`), { text });
const click = async (css) => wd("POST", s(`/element/${await el(css)}/click`), {});
const source = () => wd("GET", s("/source"));
const url = () => wd("GET", s("/url"));
async function shot(name) {
	writeFileSync(`${out}/oxweb-${name}.png`, Buffer.from(await wd("GET", s("/screenshot")), "base64"));
}
// the page after a click: WebDriver may answer before the POST's redirect
async function waitSrc(re, ms = 5000) {
	let src = "";
	for (let t = 0; t < ms; t += 100) {
		src = await source();
		if (re.test(src)) return src;
		await sleep(100);
	}
	return src;
}
async function waitFile(pred, ms = 10000) {
	for (let t = 0; t < ms; t += 100) {
		const f = readdirSync(dl).find((n) => pred(n) && !n.endsWith(".crdownload"));
		if (f) return `${dl}/${f}`;
		await sleep(100);
	}
	return null;
}
async function step(name, fn) {
	try { const why = await fn(); why ? fail(name, why) : pass(name); }
	catch (e) { fail(name, e.message); }
}

try {
	const v = await wd("POST", "/session", { capabilities: { alwaysMatch: {
		browserName: "chrome",
		"goog:chromeOptions": {
			binary: "/usr/bin/chromium",
			args: ["--headless=new", "--no-sandbox", "--disable-gpu",
			    "--disable-dev-shm-usage", "--window-size=1100,900"],
			prefs: { "download.default_directory": dl,
			    "download.prompt_for_download": false },
		} } } });
	sid = v.sessionId;
	await wd("POST", s("/chromium/send_command"), { cmd: "Browser.setDownloadBehavior",
	    params: { behavior: "allow", downloadPath: dl } }).catch(() => {});
} catch (e) {
	fail("session", `chromium through chromedriver: ${e.message}`);
	process.exit(1);
}

await step("login", async () => {
	await go("/login");
	await shot("login");
	await type("input[name=user]", user);
	await type("input[name=password]", password);
	await click("form[action='/login'] button");
	const src = await waitSrc(/Last 24 hours/);
	if (!src.includes("Last 24 hours")) return `no overview after login: ${(await url())}`;
	await shot("overview");
});
await step("find_by_dsn", async () => {
	await go("/tx");
	await type("input[name=q]", dsn);
	await click("form[action='/tx'] button");
	const src = await source();
	if (!src.includes(dsn)) return "the DSN is not in the result";
	await shot("transactions");
	await click("table a[href^='/tx/']");
	if (!(await url()).match(/\/tx\/\d+$/)) return `not a transaction page: ${await url()}`;
	if (!(await source()).includes("overflow")) return "the transaction is not in overflow";
	await shot("transaction");
});
const txurl = await url().catch(() => "");
await step("download_payload", async () => {
	await click("a[href$='/file/out']");
	const f = await waitFile((n) => n === "F3");
	if (!f) return `no download in ${dl}: ${readdirSync(dl)}`;
	if (readFileSync(f, "utf8").trim() !== "payload-of-F3") return "not the payload";
});
await step("reactivate", async () => {
	await wd("POST", s("/url"), { url: txurl });
	await click("form[action$='/reactivate'] button");
	const src = await waitSrc(/reactivated by/);
	if (!src.includes("reactivated by " + user)) return "the history has no 'reactivated by USER'";
	if (src.includes("reactivate</button>")) return "still offered for reactivation";
});
await step("hold_partner", async () => {
	await go("/partners");
	await type("form[action='/partners/supplier'] input[name=note]", "browser test");
	await click("form[action='/partners/supplier'] button[value=hold]");
	const src = await waitSrc(/supplier<\/a><\/td><td>[^<]*<\/td><td>hold</);
	if (!/supplier<\/a><\/td><td>[^<]*<\/td><td>hold</.test(src)) return `supplier is not on hold: ${src.slice(src.indexOf("<h1>"), src.indexOf("<h1>") + 300)}`;
	await shot("partners");
});
await step("release_partner", async () => {
	await click("form[action='/partners/supplier'] button[value=release]");
	if (!/supplier<\/a><\/td><td>[^<]*<\/td><td>active</.test(await waitSrc(/supplier<\/a><\/td><td>[^<]*<\/td><td>active</))) return "supplier is not active";
});
await step("status_csv", async () => {
	await go("/status");
	await click("form[action='/status.csv'] button");
	const f = await waitFile((n) => n.endsWith(".csv"));
	if (!f) return `no CSV in ${dl}: ${readdirSync(dl)}`;
	const csv = readFileSync(f, "utf8");
	if (!csv.startsWith("id,direction,partner,state") || !csv.includes(dsn)) return `not the status CSV: ${csv.slice(0, 200)}`;
});
await wd("DELETE", `/session/${sid}`).catch(() => {});
process.exit(failed ? 1 : 0);
