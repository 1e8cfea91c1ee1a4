import { useTranslation } from "react-i18next";
import { useEffect, useRef } from "react";
import { useFormat } from "./locale-format";

export interface MessageData {
  key: string;
  params?: Record<string, string | number>;
}

/** Translates a domain message; ISO dates among its parameters are shown in the city's time zone. */
export function useMessage() {
  const { t } = useTranslation();
  const f = useFormat();
  return (message: MessageData) => {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(message.params ?? {})) {
      params[k] = typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? f.dateTime(v) : v;
    }
    return t(message.key, params);
  };
}

/** A form-level message that screen readers announce and that takes focus when it appears. */
export function FormMessage({ message, tone = "error" }: { message: MessageData | null | undefined; tone?: "error" | "success" }) {
  const render = useMessage();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message && tone === "error") ref.current?.focus();
  }, [message, tone]);
  if (!message) return null;
  return (
    <div ref={ref} tabIndex={-1} role={tone === "error" ? "alert" : "status"} className={`notice ${tone === "error" ? "notice--error" : "notice--success"}`}>
      {render(message)}
    </div>
  );
}
