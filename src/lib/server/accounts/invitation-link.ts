import { toString as qrToString } from 'qrcode';

/** The link a new member opens: a page that needs the network (not part of the offline shell). */
export function invitationUrl(origin: string, token: string): string {
  return new URL(`/invite/${encodeURIComponent(token)}`, origin).toString();
}

/** The link as a QR code, SVG (scales for print and screen). */
export function invitationQrSvg(url: string): Promise<string> {
  return qrToString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
