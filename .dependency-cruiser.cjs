/**
 * The floor plan's folder rule (docs/ARCHITECTURE.md): no circle between the folders of app/.
 * ESLint sees imports file by file; a circle through two folders (discussion → moderation →
 * discussion) shows only here, at folder scope.
 */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycle",
      severity: "error",
      comment: "Folders of app/ must not import each other in a circle: give the shared piece a home of its own (app/content, app/http …).",
      scope: "folder",
      from: { path: "^app/" },
      to: { path: "^app/", circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(build|build-[^/]+|node_modules)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
