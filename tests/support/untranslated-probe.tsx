// A component with hard-coded text, read (never run) by tests/untranslated.test.ts to prove its check fails on such text.
export function Probe({ t }: { t: (key: string) => string }) {
  return (
    <div>
      <button type="submit">Kirim sekarang</button>
      <button type="button" aria-label="Tutup jendela">
        ×
      </button>
      <a href="/">{"Batal"}</a>
      <p>{t("home.title")}</p>
      <span>Rembug</span>
    </div>
  );
}
