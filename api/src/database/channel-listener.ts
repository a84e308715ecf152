import { Client } from "pg";

/**
 * LISTEN on one channel over a connection of its own that reconnects by itself (a Postgres
 * restart must not leave a process deaf): `onNotify` runs on each notification on the channel,
 * and once after each reconnect (whatever was notified meanwhile was missed).
 */
export class ChannelListener {
  private client: Client | null = null;
  private stopped = false;

  constructor(
    private readonly url: string | undefined,
    private readonly channel: string,
    private readonly applicationName: string,
    private readonly onNotify: () => unknown,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: this.applicationName });
    client.on("notification", (message) => {
      if (message.channel === this.channel) void this.onNotify();
    });
    const reconnect = () => {
      if (this.stopped || this.client !== client) return;
      this.client = null;
      setTimeout(() => void this.start().then(() => this.onNotify()).catch(() => reconnect()), 1000).unref();
    };
    client.on("error", reconnect);
    client.on("end", reconnect);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      reconnect();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
