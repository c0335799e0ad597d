/** Danish number format, as the document prints it: "." groups thousands, "," is the decimal mark. */
export const formatDanish = (x: number, decimals = 0): string => {
  const neg = x < 0
  const fixed = Math.abs(x).toFixed(decimals)
  const [int = "0", frac] = fixed.split(".")
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ".")
  const s = frac ? `${grouped},${frac}` : grouped
  return neg && /[1-9]/.test(s) ? `-${s}` : s
}
