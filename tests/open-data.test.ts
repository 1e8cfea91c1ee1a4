import { describe, expect, it } from "vitest";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { getApiProject, listApiProjects, projectsGeoJson } from "~/projects/open-data.server";
import { parseApiQuery } from "~/http/open-data.server";
import { castVote } from "~/voting/voting.server";
import { postComment, openThread } from "~/discussion/discussion.server";
import { seedDemo } from "~db/seed";
import { users } from "~db/schema";

const ORIGIN = "https://rembug.kota.go.id";
const query = (params = "") => {
  const parsed = parseApiQuery(new URL(`${ORIGIN}/api/v1/projects${params}`));
  if (!parsed.ok) throw new Error(parsed.parameter);
  return parsed.query;
};

describe("the open data API", () => {
  it("lists published projects only, never drafts, with tallies and counts from the stored figures", async () => {
    const { db } = await freshDatabase();
    const open = await makeProject(db, { title: "Taman Kota", lat: -6.9, lng: 107.6 });
    await makeProject(db, { title: "Rahasia", phase: "draft" });
    const voter = await makeUser(db);
    await castVote(db, voter, open.id, "oppose");
    const thread = await openThread(db, voter, open.id, { title: "Pohon", body: "Jangan tebang pohon." });
    await postComment(db, voter, thread.id, { body: "Setuju dipertahankan." });
    const { data, total } = await listApiProjects(db, query(), ORIGIN);
    expect(total).toBe(1);
    expect(data.map((p) => p.title)).toEqual(["Taman Kota"]);
    expect(data[0]).toMatchObject({
      phase: "consultation",
      tallies: { support: 0, oppose: 1, abstain: 0, total: 1 },
      counts: { threads: 1, comments: 1, proposals: 0 },
      location: { lat: -6.9, lng: 107.6 },
      consultation: { open: true },
      url: `${ORIGIN}/projects/${open.slug}`,
    });
    expect(await getApiProject(db, "rahasia", ORIGIN)).toBeNull();
  });

  it("holds no personal data: no e-mail, no name, no ballot of anyone", async () => {
    const { db } = await freshDatabase();
    await seedDemo(db);
    const text = JSON.stringify([await listApiProjects(db, query("?pageSize=200"), ORIGIN), await projectsGeoJson(db, ORIGIN)]);
    expect(text).not.toMatch(/@/);
    const names = await db.select({ n: users.displayName }).from(users);
    for (const { n } of names) expect(text).not.toContain(n);
    expect(text).not.toMatch(/"(userId|user_id|email|choice)"/);
  });

  it("pages with stable order and refuses bad parameters by name", async () => {
    const { db } = await freshDatabase();
    for (let i = 0; i < 5; i++) await makeProject(db);
    const first = await listApiProjects(db, query("?pageSize=2"), ORIGIN);
    const third = await listApiProjects(db, query("?pageSize=2&page=3"), ORIGIN);
    expect(first).toMatchObject({ total: 5, pageCount: 3 });
    expect(first.data).toHaveLength(2);
    expect(third.data).toHaveLength(1);
    for (const [params, parameter] of [
      ["?page=0", "page"],
      ["?page=abc", "page"],
      ["?pageSize=500", "pageSize"],
      ["?phase=draft", "phase"],
      ["?category=jalan", "category"],
    ]) {
      expect(parseApiQuery(new URL(`${ORIGIN}/api/v1/projects${params}`))).toEqual({ ok: false, parameter });
    }
  });

  it("serves GeoJSON points as [lng, lat] for projects with a location only", async () => {
    const { db } = await freshDatabase();
    await makeProject(db, { lat: -6.91, lng: 107.61 });
    await makeProject(db, { lat: null, lng: null });
    const geo = await projectsGeoJson(db, ORIGIN);
    expect(geo.type).toBe("FeatureCollection");
    expect(geo.features).toHaveLength(1);
    expect(geo.features[0]!.geometry).toEqual({ type: "Point", coordinates: [107.61, -6.91] });
    expect(geo.features[0]!.properties).not.toHaveProperty("location");
  });
});
