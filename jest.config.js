/** Every test in the repo: `npm test` runs this (after installing and building what e2e needs). */
module.exports = {
  projects: ["<rootDir>/api/jest.config.js", "<rootDir>/web/jest.config.cjs", "<rootDir>/e2e/jest.config.js"],
};
