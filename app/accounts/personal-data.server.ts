import { and, asc, eq, or } from "drizzle-orm";
import { tables, withReadSnapshot, type AppDb } from "~db/engine";
import type { User } from "~db/schema";

/**
 * Everything the platform holds about one person, for /account/data: generated on request, only
 * ever for the signed-in user, read in one snapshot (withReadSnapshot) so the parts agree. Secrets (password
 * hash, session and link hashes) are described, not copied. Other people appear only where the
 * person's own record names them as staff acting on it — never their e-mail.
 */
export async function personalDataExport(db: AppDb, user: User, { currentSessionId = null as string | null, now = new Date() } = {}) {
  return withReadSnapshot(db, async (db) => {
    const {
      areas,
      commentRevisions,
      comments,
      emailTokens,
      flags,
      follows,
      moderationLog,
      notificationPreferences,
      notifications,
      outbox,
      projectUpdates,
      projects,
      proposalRevisions,
      proposals,
      recoveryCodes,
      reviewItems,
      sessions,
      supports,
      threads,
      twoFactors,
      votes,
    } = tables(db);
    const area = user.areaId
      ? ((await db.select({ code: areas.code, name: areas.name }).from(areas).where(eq(areas.id, user.areaId)).limit(1))[0] ?? null)
      : null;
    const [preference] = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id)).limit(1);
    const projectSlug = { projectSlug: projects.slug, projectTitle: projects.title };
    const [factor] = await db
      .select({ confirmedAt: twoFactors.confirmedAt, createdAt: twoFactors.createdAt })
      .from(twoFactors)
      .where(eq(twoFactors.userId, user.id))
      .limit(1);
    return {
      exportedAt: now.toISOString(),
      about:
        "Everything Rembug holds about your account. Ballots are secret: only you can see your own here. Password and link secrets are stored only as hashes and are not included.",
      profile: {
        id: user.id,
        displayName: user.displayName,
        email: user.email,
        role: user.role,
        kelurahan: area,
        language: user.locale,
        emailVerifiedAt: user.emailVerifiedAt,
        createdAt: user.createdAt,
        suspendedUntil: user.suspendedUntil,
        suspensionReason: user.suspensionReason,
        publishedContributions: user.contributionCount,
        password: user.passwordHash ? "set (stored as an argon2id hash)" : "none",
        twoFactor: factor?.confirmedAt
          ? {
              since: factor.confirmedAt,
              secret: "stored encrypted; not included (nor the recovery codes, kept only as hashes)",
              recoveryCodesUsedAt: (await db.select({ usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).map(
                (r) => r.usedAt,
              ),
            }
          : null,
      },
      emailNotifications: { mode: preference?.mode ?? "none", lastDigestAt: preference?.digestLastSentAt ?? null },
      sessions: (
        await db
          .select({ id: sessions.id, createdAt: sessions.createdAt, lastUsedAt: sessions.lastVerifiedAt, expiresAt: sessions.expiresAt })
          .from(sessions)
          .where(eq(sessions.userId, user.id))
          .orderBy(asc(sessions.createdAt))
      ).map(({ id, ...s }) => ({ ...s, thisDevice: id === currentSessionId })),
      threads: await db
        .select({
          id: threads.id,
          ...projectSlug,
          proposalId: threads.proposalId,
          title: threads.title,
          body: threads.bodySource,
          visibility: threads.visibility,
          createdAt: threads.createdAt,
          editedAt: threads.editedAt,
        })
        .from(threads)
        .innerJoin(projects, eq(projects.id, threads.projectId))
        .where(eq(threads.authorId, user.id))
        .orderBy(asc(threads.id)),
      comments: await db
        .select({
          id: comments.id,
          ...projectSlug,
          threadId: comments.threadId,
          parentId: comments.parentId,
          stance: comments.stance,
          body: comments.bodySource,
          visibility: comments.visibility,
          createdAt: comments.createdAt,
          editedAt: comments.editedAt,
        })
        .from(comments)
        .innerJoin(projects, eq(projects.id, comments.projectId))
        .where(eq(comments.authorId, user.id))
        .orderBy(asc(comments.id)),
      commentRevisions: await db
        .select({ commentId: commentRevisions.commentId, body: commentRevisions.bodySource, createdAt: commentRevisions.createdAt })
        .from(commentRevisions)
        .where(eq(commentRevisions.editorId, user.id))
        .orderBy(asc(commentRevisions.id)),
      proposals: await db
        .select({
          id: proposals.id,
          ...projectSlug,
          title: proposals.title,
          body: proposals.bodySource,
          status: proposals.status,
          visibility: proposals.visibility,
          supportCount: proposals.supportCount,
          answer: proposals.answerSource,
          createdAt: proposals.createdAt,
        })
        .from(proposals)
        .innerJoin(projects, eq(projects.id, proposals.projectId))
        .where(eq(proposals.authorId, user.id))
        .orderBy(asc(proposals.id)),
      proposalRevisions: await db
        .select({
          proposalId: proposalRevisions.proposalId,
          title: proposalRevisions.title,
          body: proposalRevisions.bodySource,
          createdAt: proposalRevisions.createdAt,
        })
        .from(proposalRevisions)
        .where(eq(proposalRevisions.editorId, user.id))
        .orderBy(asc(proposalRevisions.id)),
      proposalAnswersGiven: await db
        .select({ proposalId: proposals.id, ...projectSlug, status: proposals.status, answer: proposals.answerSource, answeredAt: proposals.answeredAt })
        .from(proposals)
        .innerJoin(projects, eq(projects.id, proposals.projectId))
        .where(eq(proposals.answeredBy, user.id))
        .orderBy(asc(proposals.id)),
      projectUpdatesPosted: await db
        .select({ id: projectUpdates.id, ...projectSlug, kind: projectUpdates.kind, body: projectUpdates.bodySource, createdAt: projectUpdates.createdAt })
        .from(projectUpdates)
        .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
        .where(eq(projectUpdates.authorId, user.id))
        .orderBy(asc(projectUpdates.id)),
      votes: await db
        .select({ ...projectSlug, choice: votes.choice, createdAt: votes.createdAt, updatedAt: votes.updatedAt })
        .from(votes)
        .innerJoin(projects, eq(projects.id, votes.projectId))
        .where(eq(votes.userId, user.id))
        .orderBy(asc(votes.id)),
      supports: await db
        .select({ proposalId: supports.proposalId, proposalTitle: proposals.title, ...projectSlug, createdAt: supports.createdAt })
        .from(supports)
        .innerJoin(proposals, eq(proposals.id, supports.proposalId))
        .innerJoin(projects, eq(projects.id, supports.projectId))
        .where(eq(supports.userId, user.id))
        .orderBy(asc(supports.createdAt)),
      flags: await db
        .select({
          targetType: flags.targetType,
          targetId: flags.targetId,
          reason: flags.reason,
          note: flags.note,
          status: flags.status,
          createdAt: flags.createdAt,
        })
        .from(flags)
        .where(eq(flags.userId, user.id))
        .orderBy(asc(flags.id)),
      follows: await db
        .select({ ...projectSlug, active: follows.active, createdAt: follows.createdAt })
        .from(follows)
        .innerJoin(projects, eq(projects.id, follows.projectId))
        .where(eq(follows.userId, user.id))
        .orderBy(asc(follows.createdAt)),
      notifications: await db
        .select({
          kind: notifications.kind,
          link: notifications.link,
          params: notifications.params,
          readAt: notifications.readAt,
          createdAt: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.userId, user.id))
        .orderBy(asc(notifications.id)),
      moderationOfYourContent: await db
        .select({
          targetType: reviewItems.targetType,
          targetId: reviewItems.targetId,
          reasons: reviewItems.reasons,
          status: reviewItems.status,
          decisionReason: reviewItems.decisionReason,
          decidedAt: reviewItems.decidedAt,
          appeal: reviewItems.appealText,
          appealedAt: reviewItems.appealedAt,
          createdAt: reviewItems.createdAt,
        })
        .from(reviewItems)
        .where(eq(reviewItems.authorId, user.id))
        .orderBy(asc(reviewItems.id)),
      moderationLog: (
        await db
          .select({
            action: moderationLog.action,
            targetType: moderationLog.targetType,
            targetId: moderationLog.targetId,
            reason: moderationLog.reason,
            details: moderationLog.details,
            byYou: moderationLog.actorId,
            createdAt: moderationLog.createdAt,
          })
          .from(moderationLog)
          .where(or(eq(moderationLog.actorId, user.id), and(eq(moderationLog.targetType, "user"), eq(moderationLog.targetId, String(user.id)))))
          .orderBy(asc(moderationLog.id))
      ).map((row) => ({ ...row, byYou: row.byYou === user.id })),
      emailLinks: await db
        .select({ purpose: emailTokens.purpose, createdAt: emailTokens.createdAt, expiresAt: emailTokens.expiresAt, usedAt: emailTokens.usedAt })
        .from(emailTokens)
        .where(eq(emailTokens.userId, user.id))
        .orderBy(asc(emailTokens.createdAt)),
      emails: await db
        .select({ kind: outbox.kind, to: outbox.toAddress, subject: outbox.subject, createdAt: outbox.createdAt, sentAt: outbox.sentAt })
        .from(outbox)
        .where(eq(outbox.userId, user.id))
        .orderBy(asc(outbox.id)),
    };
  });
}

export type PersonalDataExport = Awaited<ReturnType<typeof personalDataExport>>;
