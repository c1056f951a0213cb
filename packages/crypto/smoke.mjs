// Installed-tarball smoke test: import by name, make a key, round-trip a few bytes.
import { decrypt, encrypt, generateIdentity, identityToRecipient } from "@dms/crypto";

const identity = await generateIdentity();
const recipient = await identityToRecipient(identity);
const plaintext = new TextEncoder().encode("smoke");
const ciphertext = await encrypt(plaintext, { recipients: [recipient] });
const back = new TextDecoder().decode(await decrypt(ciphertext, { identities: [identity] }));
if (back !== "smoke") throw new Error(`round trip failed: ${back}`);
console.log(`ok ${recipient.slice(0, 12)}... ${ciphertext.length} bytes`);
