module.exports = async () => require('./jest-tmpdir').teardown();
