/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminDashboard($bucket: VolumeBucket!) {\n    eventVolume(bucket: $bucket) {\n      start\n      events\n      viewers\n    }\n    models(first: 30) {\n      id\n      algorithm\n      status\n      statusReason\n      metrics\n      trainingSeconds\n      pairs\n      createdAt\n      params\n      eventWeights {\n        type\n        weight\n      }\n      tuning {\n        params\n        validationNdcg10\n        seconds\n      }\n    }\n    handSetEventWeights {\n      type\n      weight\n    }\n    modelCoverage {\n      modelId\n      modelTitles\n      catalogTitles\n      titleCoverage\n      modelViewers\n      profiles\n      viewerCoverage\n    }\n  }\n": typeof types.AdminDashboardDocument,
    "\n  query AdminExperimentResults($id: ID!) {\n    experimentResults(id: $id) {\n      arm\n      armIndex\n      control\n      viewers\n      impressions\n      clicks\n      plays\n      watchedFull\n      ctr\n      ctrLow\n      ctrHigh\n      playRate\n      playRateLow\n      playRateHigh\n      watchThroughRate\n      watchThroughRateLow\n      watchThroughRateHigh\n      primaryRate\n      difference\n      differenceLow\n      differenceHigh\n      pValue\n      alwaysValidPValue\n      history {\n        at\n        viewers\n        difference\n        differenceLow\n        differenceHigh\n        alwaysValidPValue\n      }\n    }\n  }\n": typeof types.AdminExperimentResultsDocument,
    "\n  query AdminExperiments {\n    experiments {\n      id\n      name\n      surface\n      status\n      trafficPercent\n      primaryMetric\n      startedAt\n      stoppedAt\n      stopReason\n      arms {\n        name\n        control\n        share\n        modelId\n        algorithm\n        pinnedModelId\n      }\n    }\n  }\n": typeof types.AdminExperimentsDocument,
    "\n  query AdminOnlineMetrics($since: DateTimeISO!) {\n    byRowKind: onlineMetrics(since: $since, groupBy: [ROW_KIND, DAY]) {\n      rowKind\n      day\n      ...OnlineRates\n    }\n    byModel: onlineMetrics(since: $since, groupBy: [MODEL, DAY]) {\n      modelId\n      day\n      ...OnlineRates\n    }\n    byRowPosition: onlineMetrics(since: $since, groupBy: [ROW_POSITION]) {\n      rowPosition\n      ...OnlineRates\n    }\n    byItemPosition: onlineMetrics(since: $since, groupBy: [ITEM_POSITION]) {\n      itemPosition\n      ...OnlineRates\n    }\n  }\n\n  fragment OnlineRates on OnlineMetricRow {\n    impressions\n    clicks\n    plays\n    watchedFull\n    ctr\n    ctrLow\n    ctrHigh\n    watchThroughRate\n    watchThroughRateLow\n    watchThroughRateHigh\n  }\n": typeof types.AdminOnlineMetricsDocument,
    "\n  query Home($profileId: ID!) {\n    home(profileId: $profileId) {\n      id\n      title\n      kind\n      items {\n        score\n        reason\n        progress\n        recommendationId\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query Genres {\n    genres\n  }\n": typeof types.GenresDocument,
    "\n  mutation LogImpressions($inputs: [ImpressionInput!]!) {\n    logImpressions(inputs: $inputs) {\n      accepted\n      duplicates\n      expired\n    }\n  }\n": typeof types.LogImpressionsDocument,
    "\n  mutation LogInteractions($inputs: [LogInteractionInput!]!) {\n    logInteractions(inputs: $inputs) {\n      id\n      clientEventId\n    }\n  }\n": typeof types.LogInteractionsDocument,
    "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    synopsis\n    runtimeMinutes\n    maturityRating\n    posterUrl\n    trailerUrl\n  }\n": typeof types.MovieCardFieldsFragmentDoc,
    "\n  query MovieDetails($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n": typeof types.MovieDetailsDocument,
    "\n  query MoviesByGenre($genre: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { genre: $genre }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MoviesByGenreDocument,
    "\n  query SimilarMovies($movieId: ID!, $first: Int!) {\n    similarMovies(movieId: $movieId, first: $first) {\n      score\n      reason\n      recommendationId\n      movie {\n        ...MovieCardFields\n      }\n    }\n  }\n": typeof types.SimilarMoviesDocument,
    "\n  mutation AddToMyList($profileId: ID!, $movieId: ID!, $recommendationId: ID) {\n    addToMyList(profileId: $profileId, movieId: $movieId, recommendationId: $recommendationId) {\n      ...MovieCardFields\n    }\n  }\n": typeof types.AddToMyListDocument,
    "\n  query MyList($profileId: ID!) {\n    myList(profileId: $profileId) {\n      ...MovieCardFields\n    }\n  }\n": typeof types.MyListDocument,
    "\n  mutation RemoveFromMyList($profileId: ID!, $movieId: ID!) {\n    removeFromMyList(profileId: $profileId, movieId: $movieId) {\n      ...MovieCardFields\n    }\n  }\n": typeof types.RemoveFromMyListDocument,
    "\n  mutation AnonymousSession {\n    anonymousSession {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n": typeof types.AnonymousSessionDocument,
    "\n  mutation ChooseFavorites($profileId: ID!, $movieIds: [ID!]!) {\n    chooseFavorites(profileId: $profileId, movieIds: $movieIds) {\n      score\n      movie {\n        id\n      }\n    }\n  }\n": typeof types.ChooseFavoritesDocument,
    "\n  mutation ClaimProfile($name: String!) {\n    claimProfile(name: $name) {\n      id\n      name\n      avatarColor\n      anonymous\n    }\n  }\n": typeof types.ClaimProfileDocument,
    "\n  mutation CreateProfile($name: String!) {\n    createProfile(name: $name) {\n      id\n      name\n      avatarColor\n    }\n  }\n": typeof types.CreateProfileDocument,
    "\n  query Profiles {\n    profiles {\n      id\n      name\n      avatarColor\n    }\n  }\n": typeof types.ProfilesDocument,
    "\n  mutation SelectProfile($profileId: ID!) {\n    selectProfile(profileId: $profileId) {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n": typeof types.SelectProfileDocument,
    "\n  query SearchMovies($text: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { text: $text }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SearchMoviesDocument,
};
const documents: Documents = {
    "\n  query AdminDashboard($bucket: VolumeBucket!) {\n    eventVolume(bucket: $bucket) {\n      start\n      events\n      viewers\n    }\n    models(first: 30) {\n      id\n      algorithm\n      status\n      statusReason\n      metrics\n      trainingSeconds\n      pairs\n      createdAt\n      params\n      eventWeights {\n        type\n        weight\n      }\n      tuning {\n        params\n        validationNdcg10\n        seconds\n      }\n    }\n    handSetEventWeights {\n      type\n      weight\n    }\n    modelCoverage {\n      modelId\n      modelTitles\n      catalogTitles\n      titleCoverage\n      modelViewers\n      profiles\n      viewerCoverage\n    }\n  }\n": types.AdminDashboardDocument,
    "\n  query AdminExperimentResults($id: ID!) {\n    experimentResults(id: $id) {\n      arm\n      armIndex\n      control\n      viewers\n      impressions\n      clicks\n      plays\n      watchedFull\n      ctr\n      ctrLow\n      ctrHigh\n      playRate\n      playRateLow\n      playRateHigh\n      watchThroughRate\n      watchThroughRateLow\n      watchThroughRateHigh\n      primaryRate\n      difference\n      differenceLow\n      differenceHigh\n      pValue\n      alwaysValidPValue\n      history {\n        at\n        viewers\n        difference\n        differenceLow\n        differenceHigh\n        alwaysValidPValue\n      }\n    }\n  }\n": types.AdminExperimentResultsDocument,
    "\n  query AdminExperiments {\n    experiments {\n      id\n      name\n      surface\n      status\n      trafficPercent\n      primaryMetric\n      startedAt\n      stoppedAt\n      stopReason\n      arms {\n        name\n        control\n        share\n        modelId\n        algorithm\n        pinnedModelId\n      }\n    }\n  }\n": types.AdminExperimentsDocument,
    "\n  query AdminOnlineMetrics($since: DateTimeISO!) {\n    byRowKind: onlineMetrics(since: $since, groupBy: [ROW_KIND, DAY]) {\n      rowKind\n      day\n      ...OnlineRates\n    }\n    byModel: onlineMetrics(since: $since, groupBy: [MODEL, DAY]) {\n      modelId\n      day\n      ...OnlineRates\n    }\n    byRowPosition: onlineMetrics(since: $since, groupBy: [ROW_POSITION]) {\n      rowPosition\n      ...OnlineRates\n    }\n    byItemPosition: onlineMetrics(since: $since, groupBy: [ITEM_POSITION]) {\n      itemPosition\n      ...OnlineRates\n    }\n  }\n\n  fragment OnlineRates on OnlineMetricRow {\n    impressions\n    clicks\n    plays\n    watchedFull\n    ctr\n    ctrLow\n    ctrHigh\n    watchThroughRate\n    watchThroughRateLow\n    watchThroughRateHigh\n  }\n": types.AdminOnlineMetricsDocument,
    "\n  query Home($profileId: ID!) {\n    home(profileId: $profileId) {\n      id\n      title\n      kind\n      items {\n        score\n        reason\n        progress\n        recommendationId\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  query Genres {\n    genres\n  }\n": types.GenresDocument,
    "\n  mutation LogImpressions($inputs: [ImpressionInput!]!) {\n    logImpressions(inputs: $inputs) {\n      accepted\n      duplicates\n      expired\n    }\n  }\n": types.LogImpressionsDocument,
    "\n  mutation LogInteractions($inputs: [LogInteractionInput!]!) {\n    logInteractions(inputs: $inputs) {\n      id\n      clientEventId\n    }\n  }\n": types.LogInteractionsDocument,
    "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    synopsis\n    runtimeMinutes\n    maturityRating\n    posterUrl\n    trailerUrl\n  }\n": types.MovieCardFieldsFragmentDoc,
    "\n  query MovieDetails($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n": types.MovieDetailsDocument,
    "\n  query MoviesByGenre($genre: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { genre: $genre }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MoviesByGenreDocument,
    "\n  query SimilarMovies($movieId: ID!, $first: Int!) {\n    similarMovies(movieId: $movieId, first: $first) {\n      score\n      reason\n      recommendationId\n      movie {\n        ...MovieCardFields\n      }\n    }\n  }\n": types.SimilarMoviesDocument,
    "\n  mutation AddToMyList($profileId: ID!, $movieId: ID!, $recommendationId: ID) {\n    addToMyList(profileId: $profileId, movieId: $movieId, recommendationId: $recommendationId) {\n      ...MovieCardFields\n    }\n  }\n": types.AddToMyListDocument,
    "\n  query MyList($profileId: ID!) {\n    myList(profileId: $profileId) {\n      ...MovieCardFields\n    }\n  }\n": types.MyListDocument,
    "\n  mutation RemoveFromMyList($profileId: ID!, $movieId: ID!) {\n    removeFromMyList(profileId: $profileId, movieId: $movieId) {\n      ...MovieCardFields\n    }\n  }\n": types.RemoveFromMyListDocument,
    "\n  mutation AnonymousSession {\n    anonymousSession {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n": types.AnonymousSessionDocument,
    "\n  mutation ChooseFavorites($profileId: ID!, $movieIds: [ID!]!) {\n    chooseFavorites(profileId: $profileId, movieIds: $movieIds) {\n      score\n      movie {\n        id\n      }\n    }\n  }\n": types.ChooseFavoritesDocument,
    "\n  mutation ClaimProfile($name: String!) {\n    claimProfile(name: $name) {\n      id\n      name\n      avatarColor\n      anonymous\n    }\n  }\n": types.ClaimProfileDocument,
    "\n  mutation CreateProfile($name: String!) {\n    createProfile(name: $name) {\n      id\n      name\n      avatarColor\n    }\n  }\n": types.CreateProfileDocument,
    "\n  query Profiles {\n    profiles {\n      id\n      name\n      avatarColor\n    }\n  }\n": types.ProfilesDocument,
    "\n  mutation SelectProfile($profileId: ID!) {\n    selectProfile(profileId: $profileId) {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n": types.SelectProfileDocument,
    "\n  query SearchMovies($text: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { text: $text }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SearchMoviesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDashboard($bucket: VolumeBucket!) {\n    eventVolume(bucket: $bucket) {\n      start\n      events\n      viewers\n    }\n    models(first: 30) {\n      id\n      algorithm\n      status\n      statusReason\n      metrics\n      trainingSeconds\n      pairs\n      createdAt\n      params\n      eventWeights {\n        type\n        weight\n      }\n      tuning {\n        params\n        validationNdcg10\n        seconds\n      }\n    }\n    handSetEventWeights {\n      type\n      weight\n    }\n    modelCoverage {\n      modelId\n      modelTitles\n      catalogTitles\n      titleCoverage\n      modelViewers\n      profiles\n      viewerCoverage\n    }\n  }\n"): (typeof documents)["\n  query AdminDashboard($bucket: VolumeBucket!) {\n    eventVolume(bucket: $bucket) {\n      start\n      events\n      viewers\n    }\n    models(first: 30) {\n      id\n      algorithm\n      status\n      statusReason\n      metrics\n      trainingSeconds\n      pairs\n      createdAt\n      params\n      eventWeights {\n        type\n        weight\n      }\n      tuning {\n        params\n        validationNdcg10\n        seconds\n      }\n    }\n    handSetEventWeights {\n      type\n      weight\n    }\n    modelCoverage {\n      modelId\n      modelTitles\n      catalogTitles\n      titleCoverage\n      modelViewers\n      profiles\n      viewerCoverage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminExperimentResults($id: ID!) {\n    experimentResults(id: $id) {\n      arm\n      armIndex\n      control\n      viewers\n      impressions\n      clicks\n      plays\n      watchedFull\n      ctr\n      ctrLow\n      ctrHigh\n      playRate\n      playRateLow\n      playRateHigh\n      watchThroughRate\n      watchThroughRateLow\n      watchThroughRateHigh\n      primaryRate\n      difference\n      differenceLow\n      differenceHigh\n      pValue\n      alwaysValidPValue\n      history {\n        at\n        viewers\n        difference\n        differenceLow\n        differenceHigh\n        alwaysValidPValue\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminExperimentResults($id: ID!) {\n    experimentResults(id: $id) {\n      arm\n      armIndex\n      control\n      viewers\n      impressions\n      clicks\n      plays\n      watchedFull\n      ctr\n      ctrLow\n      ctrHigh\n      playRate\n      playRateLow\n      playRateHigh\n      watchThroughRate\n      watchThroughRateLow\n      watchThroughRateHigh\n      primaryRate\n      difference\n      differenceLow\n      differenceHigh\n      pValue\n      alwaysValidPValue\n      history {\n        at\n        viewers\n        difference\n        differenceLow\n        differenceHigh\n        alwaysValidPValue\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminExperiments {\n    experiments {\n      id\n      name\n      surface\n      status\n      trafficPercent\n      primaryMetric\n      startedAt\n      stoppedAt\n      stopReason\n      arms {\n        name\n        control\n        share\n        modelId\n        algorithm\n        pinnedModelId\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminExperiments {\n    experiments {\n      id\n      name\n      surface\n      status\n      trafficPercent\n      primaryMetric\n      startedAt\n      stoppedAt\n      stopReason\n      arms {\n        name\n        control\n        share\n        modelId\n        algorithm\n        pinnedModelId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminOnlineMetrics($since: DateTimeISO!) {\n    byRowKind: onlineMetrics(since: $since, groupBy: [ROW_KIND, DAY]) {\n      rowKind\n      day\n      ...OnlineRates\n    }\n    byModel: onlineMetrics(since: $since, groupBy: [MODEL, DAY]) {\n      modelId\n      day\n      ...OnlineRates\n    }\n    byRowPosition: onlineMetrics(since: $since, groupBy: [ROW_POSITION]) {\n      rowPosition\n      ...OnlineRates\n    }\n    byItemPosition: onlineMetrics(since: $since, groupBy: [ITEM_POSITION]) {\n      itemPosition\n      ...OnlineRates\n    }\n  }\n\n  fragment OnlineRates on OnlineMetricRow {\n    impressions\n    clicks\n    plays\n    watchedFull\n    ctr\n    ctrLow\n    ctrHigh\n    watchThroughRate\n    watchThroughRateLow\n    watchThroughRateHigh\n  }\n"): (typeof documents)["\n  query AdminOnlineMetrics($since: DateTimeISO!) {\n    byRowKind: onlineMetrics(since: $since, groupBy: [ROW_KIND, DAY]) {\n      rowKind\n      day\n      ...OnlineRates\n    }\n    byModel: onlineMetrics(since: $since, groupBy: [MODEL, DAY]) {\n      modelId\n      day\n      ...OnlineRates\n    }\n    byRowPosition: onlineMetrics(since: $since, groupBy: [ROW_POSITION]) {\n      rowPosition\n      ...OnlineRates\n    }\n    byItemPosition: onlineMetrics(since: $since, groupBy: [ITEM_POSITION]) {\n      itemPosition\n      ...OnlineRates\n    }\n  }\n\n  fragment OnlineRates on OnlineMetricRow {\n    impressions\n    clicks\n    plays\n    watchedFull\n    ctr\n    ctrLow\n    ctrHigh\n    watchThroughRate\n    watchThroughRateLow\n    watchThroughRateHigh\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home($profileId: ID!) {\n    home(profileId: $profileId) {\n      id\n      title\n      kind\n      items {\n        score\n        reason\n        progress\n        recommendationId\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home($profileId: ID!) {\n    home(profileId: $profileId) {\n      id\n      title\n      kind\n      items {\n        score\n        reason\n        progress\n        recommendationId\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Genres {\n    genres\n  }\n"): (typeof documents)["\n  query Genres {\n    genres\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogImpressions($inputs: [ImpressionInput!]!) {\n    logImpressions(inputs: $inputs) {\n      accepted\n      duplicates\n      expired\n    }\n  }\n"): (typeof documents)["\n  mutation LogImpressions($inputs: [ImpressionInput!]!) {\n    logImpressions(inputs: $inputs) {\n      accepted\n      duplicates\n      expired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogInteractions($inputs: [LogInteractionInput!]!) {\n    logInteractions(inputs: $inputs) {\n      id\n      clientEventId\n    }\n  }\n"): (typeof documents)["\n  mutation LogInteractions($inputs: [LogInteractionInput!]!) {\n    logInteractions(inputs: $inputs) {\n      id\n      clientEventId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    synopsis\n    runtimeMinutes\n    maturityRating\n    posterUrl\n    trailerUrl\n  }\n"): (typeof documents)["\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    synopsis\n    runtimeMinutes\n    maturityRating\n    posterUrl\n    trailerUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MovieDetails($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n"): (typeof documents)["\n  query MovieDetails($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MoviesByGenre($genre: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { genre: $genre }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query MoviesByGenre($genre: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { genre: $genre }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SimilarMovies($movieId: ID!, $first: Int!) {\n    similarMovies(movieId: $movieId, first: $first) {\n      score\n      reason\n      recommendationId\n      movie {\n        ...MovieCardFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query SimilarMovies($movieId: ID!, $first: Int!) {\n    similarMovies(movieId: $movieId, first: $first) {\n      score\n      reason\n      recommendationId\n      movie {\n        ...MovieCardFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToMyList($profileId: ID!, $movieId: ID!, $recommendationId: ID) {\n    addToMyList(profileId: $profileId, movieId: $movieId, recommendationId: $recommendationId) {\n      ...MovieCardFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddToMyList($profileId: ID!, $movieId: ID!, $recommendationId: ID) {\n    addToMyList(profileId: $profileId, movieId: $movieId, recommendationId: $recommendationId) {\n      ...MovieCardFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyList($profileId: ID!) {\n    myList(profileId: $profileId) {\n      ...MovieCardFields\n    }\n  }\n"): (typeof documents)["\n  query MyList($profileId: ID!) {\n    myList(profileId: $profileId) {\n      ...MovieCardFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromMyList($profileId: ID!, $movieId: ID!) {\n    removeFromMyList(profileId: $profileId, movieId: $movieId) {\n      ...MovieCardFields\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveFromMyList($profileId: ID!, $movieId: ID!) {\n    removeFromMyList(profileId: $profileId, movieId: $movieId) {\n      ...MovieCardFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnonymousSession {\n    anonymousSession {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AnonymousSession {\n    anonymousSession {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChooseFavorites($profileId: ID!, $movieIds: [ID!]!) {\n    chooseFavorites(profileId: $profileId, movieIds: $movieIds) {\n      score\n      movie {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChooseFavorites($profileId: ID!, $movieIds: [ID!]!) {\n    chooseFavorites(profileId: $profileId, movieIds: $movieIds) {\n      score\n      movie {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClaimProfile($name: String!) {\n    claimProfile(name: $name) {\n      id\n      name\n      avatarColor\n      anonymous\n    }\n  }\n"): (typeof documents)["\n  mutation ClaimProfile($name: String!) {\n    claimProfile(name: $name) {\n      id\n      name\n      avatarColor\n      anonymous\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProfile($name: String!) {\n    createProfile(name: $name) {\n      id\n      name\n      avatarColor\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProfile($name: String!) {\n    createProfile(name: $name) {\n      id\n      name\n      avatarColor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profiles {\n    profiles {\n      id\n      name\n      avatarColor\n    }\n  }\n"): (typeof documents)["\n  query Profiles {\n    profiles {\n      id\n      name\n      avatarColor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SelectProfile($profileId: ID!) {\n    selectProfile(profileId: $profileId) {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SelectProfile($profileId: ID!) {\n    selectProfile(profileId: $profileId) {\n      profile {\n        id\n        name\n        avatarColor\n        anonymous\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchMovies($text: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { text: $text }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchMovies($text: String!, $first: Int!, $after: String) {\n    movies(first: $first, after: $after, filter: { text: $text }) {\n      edges {\n        node {\n          ...MovieCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;