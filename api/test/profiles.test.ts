import { startTestServer, type TestServer } from "./server";

describe("profiles and createProfile", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("creates profiles with a UUID and a colour, and lists them oldest first", async () => {
    const first = await server.gql<{ createProfile: { id: string; name: string; avatarColor: string } }>(
      `mutation { createProfile(name: "  Ada ") { id name avatarColor createdAt } }`,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.createProfile.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.data!.createProfile.name).toBe("Ada");
    expect(first.data!.createProfile.avatarColor).toMatch(/^#[0-9a-f]{6}$/);
    await server.gql(`mutation { createProfile(name: "Ben", avatarColor: "#00A8A8") { id } }`);
    const list = await server.gql<{ profiles: { name: string; avatarColor: string }[] }>(`{ profiles { name avatarColor } }`);
    expect(list.data!.profiles.map((p) => p.name)).toEqual(["Ada", "Ben"]);
    expect(list.data!.profiles[1].avatarColor).toBe("#00a8a8");
  });

  it("refuses blank, over-long and badly coloured profiles, storing nothing", async () => {
    const before = await server.gql<{ profiles: unknown[] }>(`{ profiles { id } }`);
    for (const args of [`name: "   "`, `name: ""`, `name: "${"x".repeat(41)}"`, `name: "Cy", avatarColor: "red"`]) {
      const res = await server.gql(`mutation { createProfile(${args}) { id } }`);
      expect(res.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    }
    const after = await server.gql<{ profiles: unknown[] }>(`{ profiles { id } }`);
    expect(after.data!.profiles).toHaveLength(before.data!.profiles.length);
  });

  it("answers profile(id) with null for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    const res = await server.gql(`{ profile(id: "00000000-0000-4000-8000-00000000abcd") { id } }`);
    expect(res).toEqual({ data: { profile: null } });
    const bad = await server.gql(`{ profile(id: "1; DROP TABLE profiles") { id } }`);
    expect(bad.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
