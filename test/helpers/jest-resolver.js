// Some ESM-only packages (execa's dependency unicorn-magic, for one) export only an "import"
// condition, which jest's CommonJS resolver does not try. Fall back to the import conditions when
// the default resolution fails; the file is then transformed like every other ESM-only package.
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (err) {
    try {
      return options.defaultResolver(request, { ...options, conditions: ['node', 'import', 'default'] });
    } catch {
      throw err;
    }
  }
};
