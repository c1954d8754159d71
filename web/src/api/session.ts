import { reactive } from "vue";
import { graphql } from "../gql";
import type { SessionFieldsFragment } from "../gql/graphql";
import { anonymous } from "./client";

graphql(`
  fragment SessionFields on Session {
    accessToken
    accessTokenExpiresAt
    refreshToken
    refreshTokenExpiresAt
    mustChangePassword
    user {
      id
      username
      displayName
    }
  }
`);

const SIGN_IN = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      session {
        ...SessionFields
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const REFRESH = graphql(`
  mutation RefreshSession($input: RefreshTokenInput!) {
    refreshSession(input: $input) {
      session {
        ...SessionFields
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const SIGN_OUT = graphql(`
  mutation SignOut($input: RefreshTokenInput!) {
    signOut(input: $input) {
      signedOut
    }
  }
`);

const STORE_KEY = "reserve-ledger.session";
// refreshed this long before the access token runs out, so a request never carries a token about to expire
const EARLY_MS = 60_000;

type Held = SessionFieldsFragment;

function load(): Held | null {
  try {
    const raw = localStorage.getItem(STORE_KEY);
    const held = raw ? (JSON.parse(raw) as Held) : null;
    return held && Date.parse(held.refreshTokenExpiresAt) > Date.now() ? held : null;
  } catch {
    return null;
  }
}

const state = reactive<{ held: Held | null }>({ held: load() });
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;

function keep(held: Held | null): void {
  state.held = held;
  clearTimeout(timer);
  if (!held) return localStorage.removeItem(STORE_KEY);
  // the refresh token is what lets a reload stay signed in; it works once and is stored only as a hash server-side
  localStorage.setItem(STORE_KEY, JSON.stringify(held));
  const wait = Date.parse(held.accessTokenExpiresAt) - Date.now() - EARLY_MS;
  timer = setTimeout(() => void session.refresh(), Math.max(wait, 1_000));
}

/** The signed-in person's session: signs in, refreshes itself before the access token expires, signs out. */
export const session = {
  get user() {
    return state.held?.user ?? null;
  },
  /** The access token held now, without refreshing: what a live connection opens with (api/live.ts). */
  get heldAccessToken() {
    return state.held?.accessToken ?? null;
  },
  get mustChangePassword() {
    return state.held?.mustChangePassword ?? false;
  },
  async signIn(username: string, password: string) {
    const { signIn } = await anonymous(SIGN_IN, { input: { username, password } });
    if (signIn.session) keep(signIn.session);
    return signIn.userErrors;
  },
  /** A new session from the refresh token; false (and signed out) when the server refuses it. */
  refresh(): Promise<boolean> {
    const held = state.held;
    if (!held) return Promise.resolve(false);
    refreshing ??= anonymous(REFRESH, { input: { refreshToken: held.refreshToken } })
      .then(({ refreshSession }) => {
        keep(refreshSession.session ?? null);
        return refreshSession.session != null;
      })
      .catch(() => false)
      .finally(() => (refreshing = null));
    return refreshing;
  },
  async accessToken(): Promise<string | null> {
    const held = state.held;
    if (!held) return null;
    if (Date.parse(held.accessTokenExpiresAt) - Date.now() < EARLY_MS / 2 && !(await this.refresh()))
      return null;
    return state.held?.accessToken ?? null;
  },
  async signOut() {
    const held = state.held;
    keep(null);
    if (held)
      await anonymous(SIGN_OUT, { input: { refreshToken: held.refreshToken } }).catch(() => undefined);
  },
  /** The server no longer accepts this session (disabled, password changed elsewhere). */
  forget() {
    keep(null);
  },
  /** After changePassword: the same session, no longer bound to the one-time password. */
  passwordChanged() {
    if (state.held) keep({ ...state.held, mustChangePassword: false });
  },
};

if (state.held) keep(state.held);
