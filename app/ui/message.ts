import { useTranslation } from "react-i18next";
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
