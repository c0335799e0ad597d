import type { Anomaly, Area, Section, StatedPayback } from "../model/schema.ts"

/**
 * The Danish words of the round workbook, shared by its writer and reader so that what one writes
 * the other reads. Matching ignores case and surrounding spaces.
 */

export const SHEET = { guide: "Vejledning", round: "Runde", overview: "Oversigt" } as const

export const ROUND_KEYS = {
  id: "Rundens id",
  title: "Titel",
  tablePriceLevel: "Tabellernes prisniveau",
  poolPriceLevel: "Puljens prisniveau",
  version: "Prisindeks, version",
  source: "Prisindeks, kilde",
  base: "Prisindeks, basisår",
  levels: "Prisindeks",
} as const

/** The pools a new round starts with (its default what-if), 1.000 kr. in the pool's price level. */
export const POOL_KEYS = { service: "Service-pulje", anlaeg: "Anlægs-pulje" } as const

export const PROPOSAL_KEYS = {
  id: "Forslag",
  title: "Titel",
  committee: "Udvalg",
  administration: "Fremstillende forvaltning",
  summary: "Kort resumé",
  risk: "Risikovurdering",
  firstLine: "Kilde, første linje",
  lastLine: "Kilde, sidste linje",
} as const

export const VARIANT_KEYS = {
  id: "Variant",
  label: "Tabel",
  unitPrinted: "Enhed som trykt",
  priceLevel: "Prisniveau",
} as const

/** The first cell of a table's header row; the year columns follow the fixed columns. */
export const TABLE_HEADER = ["Tekst", "Styringsområde", "Trykt som"] as const
export const NOTE_HEADER = "Note"
export const ADMIN_BLOCK = "Tabel 3. Varige ændringer, administration"
export const ANOMALY_BLOCK = "Uoverensstemmelser i dokumentet"
export const ANOMALY_HEADER = ["Beskrivelse", "Variant", "Slags", "Trykt", "Beregnet"] as const

/** Block headings inside a cash-flow table, as in the document's Tabel 1. */
export const SECTION_HEADING: Record<Section | "impact" | "payback", string> = {
  permanent: "Varige ændringer (effektiviseringer og drift)",
  implementation: "Implementeringsomkostninger (midler fra investeringspuljen)",
  other: "Øvrige linjer (hverken varig ændring eller puljemidler)",
  impact: "Økonomisk påvirkning (varig ændring + implementering)",
  payback: "Tilbagebetalingstid",
}

export const AREA_WORD: Record<Area, string> = {
  service: "Service",
  anlaeg: "Anlæg",
  overfoersler: "Overførsler",
}

/** The area cell of a printed total row: "I alt" for every area, or "I alt (service)" for one (no comma: it is a list word). */
export const TOTAL_WORD = "I alt"
export const totalWord = (area: Area | undefined) =>
  area === undefined ? TOTAL_WORD : `${TOTAL_WORD} (${AREA_WORD[area].toLowerCase()})`

export const PAYBACK_WORD: Record<StatedPayback["basis"], string> = {
  service: "Serviceeffektivisering",
  total: "Totaløkonomi",
  other: "Andet",
}

export const ANOMALY_WORD: Record<Anomaly["kind"], string> = {
  "total-mismatch": "Total afviger",
  "impact-mismatch": "Påvirkning afviger",
  "payback-mismatch": "Tilbagebetalingstid afviger",
  "overview-mismatch": "Oversigt afviger",
  "prose-mismatch": "Tekst afviger",
  "unit-label": "Enhed",
  "placement-ambiguous": "Placering tvetydig",
  other: "Andet",
}

export const OVERVIEW_KEYS = { caption: "Tabeltekst", total: "I alt" } as const

/** Overview table header; the price levels are filled in from the round. */
export const overviewHeader = (pool: number, table: number) => [
  "Udvalg",
  "Forslag",
  "Titel",
  `Service (1.000 kr. ${pool} p/l)`,
  `Anlæg (1.000 kr. ${pool} p/l)`,
  `Effektivisering v. fuld indfasning (1.000 kr. ${table} p/l)`,
  "Tilbagebetalingstid (år)",
]

export const norm = (s: string) => s.trim().toLowerCase()

/** The key whose word is `text` (ignoring case and spaces), if any. */
export const keyOf = <K extends string>(words: Record<K, string>, text: string): K | undefined =>
  (Object.keys(words) as K[]).find((k) => norm(words[k]) === norm(text))
