import { ref } from "vue";
import { graphql } from "../gql";
import type { ViewerQuery } from "../gql/graphql";
import { gql } from "./client";

const VIEWER = graphql(`
  query Viewer {
    me {
      user {
        id
        username
        displayName
        organisation
      }
      roles
      grants {
        role
        region {
          id
          nameZh
          nameEn
          level
          divisionCode
        }
      }
      keptDepots {
        id
        code
        nameZh
        nameEn
        kind
      }
    }
  }
`);

export type Viewer = ViewerQuery["me"];

/** Who is signed in, what they hold and keep: read once per sign-in, shared by every screen. */
export const viewer = ref<Viewer | null>(null);

export async function loadViewer(): Promise<Viewer> {
  const { me } = await gql(VIEWER, {});
  viewer.value = me;
  return me;
}
