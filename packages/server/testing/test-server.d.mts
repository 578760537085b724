export declare const CHROMIUM_ARGS: string[];
export declare const CHROMIUM_PATH: string;
export declare function freePort(): Promise<number>;
export declare function startTestServer(options: {
  name: string;
  sites?: object[];
  env?: Record<string, string>;
}): Promise<{ url: string; token: string; dataDir: string; stop(): Promise<void> }>;
