import { createContext, useContext } from "react";

/** The CSP nonce of this response; empty in the browser, where it is not needed after hydration. */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
