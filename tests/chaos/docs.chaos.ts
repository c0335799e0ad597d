import { existsSync } from "node:fs"
import { type Browser, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Running, startServer } from "./server.ts"

/**
 * The pages work under the service's Content Security Policy: each is opened in Debian's
 * chromium (never a downloaded browser), and nothing may be refused by the policy.
 */

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p))

let server: Running
let browser: Browser
beforeAll(async () => {
  if (!CHROMIUM) throw new Error("this check needs Debian's chromium (apt-get install chromium)")
  server = await startServer()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** Open a page; what the console and the CSP reports said. */
const open = async (path: string, ready: string) => {
  const page = await browser.newPage()
  const problems: string[] = []
  page.on("console", (m) => {
    // A resource that failed is reported below with its path (the browser's own favicon request is not).
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text())
  })
  page.on("pageerror", (e) => problems.push(e.message))
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`)
  })
  // Runs in the page (a string, so that this file needs no DOM types).
  await page.addInitScript(
    `document.addEventListener("securitypolicyviolation", (e) => console.error("CSP refused " + e.blockedURI + " (" + e.violatedDirective + ")"))`,
  )
  const response = await page.goto(`${server.base}${path}`, { waitUntil: "networkidle" })
  await page.waitForSelector(ready, { timeout: 15_000 })
  const text = await page.locator(ready).first().innerText()
  await page.close()
  return { status: response?.status(), csp: response?.headers()["content-security-policy"], problems, text }
}

describe("pages under the CSP", () => {
  it("the API docs (/docs) render with nothing refused", async () => {
    const docs = await open("/docs", ".swagger-ui .info .title")
    expect(docs.status).toBe(200)
    expect(docs.csp).toContain("default-src 'self'")
    expect(docs.text).toContain("pulje")
    expect(docs.problems).toEqual([])
  })

  it("the negotiation page (/), when there is one, renders with nothing refused", async () => {
    const r = await fetch(`${server.base}/`)
    if (!(r.headers.get("content-type") ?? "").includes("text/html")) {
      console.log("no page at / yet: nothing to check")
      return
    }
    // The page has loaded the round and drawn the package side bar (its script ran).
    const page = await open("/", "#pakken")
    expect(page.csp).toContain("default-src 'self'")
    expect(page.problems).toEqual([])
  })
})
