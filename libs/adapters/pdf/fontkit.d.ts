/** The one call the proof renderer makes of fontkit (pdfkit's font parser, which ships no types of its own). */
declare module 'fontkit' {
  export function create(data: Uint8Array, postscriptName?: string): unknown;
}
