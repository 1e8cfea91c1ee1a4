-- Full-text search over published content (projects that left draft, general threads, comments,
-- proposals). The rowid is ref_id * 4 + kind (0 project, 1 thread, 2 comment, 3 proposal), so a
-- row is found by key, never by scanning. Kept in step by triggers, so every insert, edit, deletion and moderation decision
-- updates the index in the same transaction as the write.
CREATE VIRTUAL TABLE search_index USING fts5(
  title,
  body,
  kind UNINDEXED,
  project_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER search_projects_ai AFTER INSERT ON projects WHEN new.phase <> 'draft'
BEGIN
  INSERT INTO search_index (rowid, title, body, kind, project_id) VALUES (new.id * 4 + 0, new.title, new.summary || char(10) || new.body_source, 'project', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER search_projects_au AFTER UPDATE OF title, summary, body_source, phase ON projects
BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 0;
  INSERT INTO search_index (rowid, title, body, kind, project_id)
    SELECT new.id * 4 + 0, new.title, new.summary || char(10) || new.body_source, 'project', new.id WHERE new.phase <> 'draft';
END;
--> statement-breakpoint
CREATE TRIGGER search_threads_ai AFTER INSERT ON threads WHEN new.visibility = 'published' AND new.proposal_id IS NULL
BEGIN
  INSERT INTO search_index (rowid, title, body, kind, project_id) VALUES (new.id * 4 + 1, new.title, new.body_source, 'thread', new.project_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_threads_au AFTER UPDATE OF title, body_source, visibility ON threads
BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
  INSERT INTO search_index (rowid, title, body, kind, project_id)
    SELECT new.id * 4 + 1, new.title, new.body_source, 'thread', new.project_id WHERE new.visibility = 'published' AND new.proposal_id IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER search_comments_ai AFTER INSERT ON comments WHEN new.visibility = 'published'
BEGIN
  INSERT INTO search_index (rowid, title, body, kind, project_id) VALUES (new.id * 4 + 2, '', new.body_source, 'comment', new.project_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_comments_au AFTER UPDATE OF body_source, visibility ON comments
BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
  INSERT INTO search_index (rowid, title, body, kind, project_id)
    SELECT new.id * 4 + 2, '', new.body_source, 'comment', new.project_id WHERE new.visibility = 'published';
END;
--> statement-breakpoint
CREATE TRIGGER search_proposals_ai AFTER INSERT ON proposals WHEN new.visibility = 'published'
BEGIN
  INSERT INTO search_index (rowid, title, body, kind, project_id) VALUES (new.id * 4 + 3, new.title, new.body_source, 'proposal', new.project_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_proposals_au AFTER UPDATE OF title, body_source, visibility ON proposals
BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
  INSERT INTO search_index (rowid, title, body, kind, project_id)
    SELECT new.id * 4 + 3, new.title, new.body_source, 'proposal', new.project_id WHERE new.visibility = 'published';
END;
--> statement-breakpoint
-- Content already in the database (an upgrade) enters the index once.
INSERT INTO search_index (rowid, title, body, kind, project_id)
  SELECT id * 4 + 0, title, summary || char(10) || body_source, 'project', id FROM projects WHERE phase <> 'draft';
--> statement-breakpoint
INSERT INTO search_index (rowid, title, body, kind, project_id)
  SELECT id * 4 + 1, title, body_source, 'thread', project_id FROM threads WHERE visibility = 'published' AND proposal_id IS NULL;
--> statement-breakpoint
INSERT INTO search_index (rowid, title, body, kind, project_id)
  SELECT id * 4 + 2, '', body_source, 'comment', project_id FROM comments WHERE visibility = 'published';
--> statement-breakpoint
INSERT INTO search_index (rowid, title, body, kind, project_id)
  SELECT id * 4 + 3, title, body_source, 'proposal', project_id FROM proposals WHERE visibility = 'published';
