import { banner } from "./banner";
import { ConfigError } from "./config";
import { startEmulator } from "./server";

/** `npm run emulator`: starts the stand-ins with the EMULATOR_* environment and prints what they serve. */
async function main(): Promise<void> {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
    } else if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `Emulator: port already in use (${(err as Error).message}). Stop the other process or set EMULATOR_PORT / EMULATOR_HTTPS_PORT.`,
      );
    } else {
      console.error("Emulator failed to start:", err);
    }
    process.exit(1);
  }
  console.log(banner(emulator));
  const stop = () => {
    emulator.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
