import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { comments, proposals, threads, type Phase, type User, type Visibility } from "~db/schema";
import { getThread, listComments } from "~/discussion/discussion.server";
import { getProposal } from "~/proposals/proposals.server";
import { search } from "~/search/search.server";
import { computeThemes } from "~/reports/themes.server";
import { projectHeadline } from "~/reports/overview.server";
import { loadContent, setVisibility } from "~/moderation/visibility.server";
import { recountStoredCountsIn } from "~db/recount";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { makeComment, makeProposal, makeThread } from "./support/more-factories";

/**
 * The written rule of docs/decisions/011-who-sees-what.md, cell by cell, checked through the
 * functions pages, search and reports call. "✓" sees it whole, "place" sees only the place of a
 * deleted comment, "–" sees nothing.
 */
type Seen = "✓" | "place" | "–";
const VIEWERS = ["visitor", "author", "another resident", "moderator", "planner", "admin"] as const;
type ViewerName = (typeof VIEWERS)[number];
type Kind = "thread" | "comment" | "proposal";
const KINDS: Kind[] = ["thread", "comment", "proposal"];

const row = (...cells: Seen[]) => Object.fromEntries(VIEWERS.map((v, i) => [v, cells[i]!])) as Record<ViewerName, Seen>;

/** The table of decision 011: visibility × viewer, the same for threads, comments and proposals but for deleted. */
const TABLE: Record<Visibility, Record<ViewerName, Seen>> = {
  published: row("✓", "✓", "✓", "✓", "✓", "✓"),
  pending: row("–", "✓", "–", "✓", "–", "✓"),
  hidden: row("–", "✓", "–", "✓", "–", "✓"),
  rejected: row("–", "✓", "–", "✓", "–", "✓"),
  deleted: row("–", "–", "–", "–", "–", "–"),
};
const DELETED_COMMENT = row("place", "place", "place", "place", "place", "place");
const cellOf = (kind: Kind, visibility: Visibility) => (kind === "comment" && visibility === "deleted" ? DELETED_COMMENT : TABLE[visibility]);
/** Search and reports take what everybody reads whole: published only. */
const included = (visibility: Visibility) => visibility === "published";

/** Containers: what is inside something a viewer may not open is not shown to them either. */
const CONTAINERS: {
  name: string;
  kind: Kind;
  visibility: Visibility;
  thread?: Visibility;
  proposal?: Visibility;
  phase?: Phase;
  seen: Record<ViewerName, Seen>;
}[] = [
  { name: "a published comment in a hidden thread", kind: "comment", visibility: "published", thread: "hidden", seen: row("–", "–", "–", "✓", "–", "✓") },
  {
    name: "a published comment in the discussion of a rejected proposal",
    kind: "comment",
    visibility: "published",
    proposal: "rejected",
    seen: row("–", "–", "–", "✓", "–", "✓"),
  },
  { name: "a published thread in a draft project", kind: "thread", visibility: "published", phase: "draft", seen: row("–", "–", "–", "–", "✓", "✓") },
  { name: "a published proposal in a draft project", kind: "proposal", visibility: "published", phase: "draft", seen: row("–", "–", "–", "–", "✓", "✓") },
];

const { db } = await freshDatabase();
let people: Record<Exclude<ViewerName, "visitor">, User>;
let opener: User;
const viewerOf = (name: ViewerName): User | null => (name === "visitor" ? null : people[name]);

beforeAll(async () => {
  people = {
    author: await makeUser(db),
    "another resident": await makeUser(db),
    moderator: await makeUser(db, { role: "moderator" }),
    planner: await makeUser(db, { role: "planner" }),
    admin: await makeUser(db, { role: "admin" }),
  };
  opener = await makeUser(db);
});

let serial = 0;
const letters = (n: number) => n.toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)]!);

interface Placed {
  kind: Kind;
  projectId: number;
  id: number;
  threadId: number | null;
  word: string;
}

/**
 * One piece of content by `author` in the given state, alone in a new project, with a word of its
 * own for search; a comment sits in a thread opened by someone else (or in a proposal's discussion).
 */
async function place(db: AppDb, spec: { kind: Kind; visibility: Visibility; thread?: Visibility; proposal?: Visibility; phase?: Phase }): Promise<Placed> {
  const word = `sichtbar${letters(++serial)}`;
  const project = await makeProject(db, spec.phase ? { phase: spec.phase } : {});
  const moveTo = async (type: Kind, id: number, to: Visibility) => {
    if (to !== "published") await setVisibility(db, (await loadContent(db, type, id))!, to);
  };
  if (spec.kind === "thread") {
    const thread = await makeThread(db, people.author.id, project.id);
    await withWriteTx(db, async (tx) => {
      await tx
        .update(threads)
        .set({ bodySource: `Trotoar ${word} rusak.` })
        .where(eq(threads.id, thread.id));
    });
    await moveTo("thread", thread.id, spec.visibility);
    return { kind: "thread", projectId: project.id, id: thread.id, threadId: thread.id, word };
  }
  if (spec.kind === "proposal") {
    const proposal = await makeProposal(db, people.author.id, project.id);
    await withWriteTx(db, async (tx) => {
      await tx
        .update(proposals)
        .set({ bodySource: `Lampu ${word} jalan.` })
        .where(eq(proposals.id, proposal.id));
    });
    await moveTo("proposal", proposal.id, spec.visibility);
    return { kind: "proposal", projectId: project.id, id: proposal.id, threadId: null, word };
  }
  let thread = await makeThread(db, opener.id, project.id);
  if (spec.proposal) {
    const proposal = await makeProposal(db, opener.id, project.id);
    await withWriteTx(db, async (tx) => {
      await tx.update(threads).set({ proposalId: proposal.id, bodySource: "" }).where(eq(threads.id, thread.id));
      await recountStoredCountsIn(tx, { projectIds: [project.id], userIds: [opener.id] });
    });
    thread = { ...thread, proposalId: proposal.id };
    await moveTo("proposal", proposal.id, spec.proposal);
  }
  await moveTo("thread", thread.id, spec.thread ?? "published");
  const comment = await makeComment(db, thread, people.author.id, { bodySource: `Setuju ${word}.`, bodyHtml: `<p>Setuju ${word}.</p>` });
  await moveTo("comment", comment.id, spec.visibility);
  return { kind: "comment", projectId: project.id, id: comment.id, threadId: thread.id, word };
}

/** What `viewer` is shown of the content, through the function its page calls. */
async function seenBy(content: Placed, viewer: User | null): Promise<Seen> {
  switch (content.kind) {
    case "thread":
      return (await getThread(db, content.projectId, content.id, viewer)) ? "✓" : "–";
    case "proposal":
      return (await getProposal(db, content.projectId, content.id, viewer)) ? "✓" : "–";
    case "comment": {
      const shown = (await listComments(db, content.threadId!, viewer)).rows.find((c) => c.id === content.id);
      if (!shown) return "–";
      return shown.bodyHtml === null ? "place" : "✓";
    }
  }
}

const found = async (content: Placed) => (await search(db, content.word)).hits.some((h) => h.kind === content.kind && h.id === content.id);

/** Whether the report counts it: the themes' corpus (residents' documents) and the headline figures. */
async function reported(content: Placed): Promise<boolean> {
  const { corpus } = await computeThemes(db, db, content.projectId);
  const headline = await projectHeadline(db, { id: content.projectId });
  const counted = { thread: headline.threads, proposal: headline.proposals, comment: headline.comments }[content.kind];
  // A comment's project also holds the published thread it sits in, which the themes read too.
  expect(corpus - (content.kind === "comment" ? 1 : 0), "the themes read what the figures count").toBe(counted);
  return counted === 1;
}

for (const kind of KINDS) {
  describe(`${kind}s`, () => {
    for (const visibility of ["published", "pending", "hidden", "rejected", "deleted"] as const) {
      describe(`a ${visibility} ${kind}`, () => {
        let content: Placed;
        beforeAll(async () => {
          content = await place(db, { kind, visibility });
        });
        const cells = cellOf(kind, visibility);
        for (const viewer of VIEWERS) {
          it(`${viewer}: ${cells[viewer]}`, async () => {
            expect(await seenBy(content, viewerOf(viewer))).toBe(cells[viewer]);
          });
        }
        it(`search: ${included(visibility) ? "found" : "not found"}`, async () => {
          expect(await found(content)).toBe(included(visibility));
        });
        it(`reports: ${included(visibility) ? "counted" : "not counted"}`, async () => {
          expect(await reported(content)).toBe(included(visibility));
        });
      });
    }
  });
}

describe("containers", () => {
  for (const spec of CONTAINERS) {
    describe(spec.name, () => {
      let content: Placed;
      beforeAll(async () => {
        content = await place(db, spec);
      });
      for (const viewer of VIEWERS) {
        it(`${viewer}: ${spec.seen[viewer]}`, async () => {
          expect(await seenBy(content, viewerOf(viewer))).toBe(spec.seen[viewer]);
        });
      }
      it("search: not found", async () => {
        expect(await found(content)).toBe(false);
      });
    });
  }
});

describe("report inclusion keeps the reports' own exclusions", () => {
  it("a published comment by staff is counted in the figures but never themed", async () => {
    const project = await makeProject(db);
    const thread = await makeThread(db, opener.id, project.id);
    await makeComment(db, thread, people.moderator.id);
    expect((await projectHeadline(db, { id: project.id })).comments).toBe(1);
    expect((await computeThemes(db, db, project.id)).corpus).toBe(1);
  });

  it("a published comment in a hidden thread is neither counted nor themed", async () => {
    const content = await place(db, { kind: "comment", visibility: "published", thread: "hidden" });
    expect((await projectHeadline(db, { id: content.projectId })).comments).toBe(0);
    expect((await computeThemes(db, db, content.projectId)).corpus).toBe(0);
    expect((await db.select().from(comments).where(eq(comments.id, content.id)).limit(1))[0]?.visibility).toBe("published");
  });
});
