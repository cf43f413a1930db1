/**
 * jsQR for the tests. The package is CommonJS with an ES-style `export default` in its types:
 * at run time the default import is the function itself, for TypeScript it is the module.
 */
import jsQRModule from 'jsqr';

type Decode = typeof jsQRModule.default;
const mod = jsQRModule as unknown as Decode | { default: Decode };

/** Decodes the QR code in RGBA pixels; the text, or undefined when none is found. */
export function decodeQr(rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  const decode = typeof mod === 'function' ? mod : mod.default;
  return decode(rgba, width, height)?.data;
}
