module.exports = async () => require('./jest-tmpdir').setup();
